# revert.ps1: removes every value the baseline writes (back to "not configured"), per user and
# machine; -WhatIf prints what it would remove. Exit 0 when done, 1 when a place could not be
# reached.
Invoke-GpforgeTargets {
    param($Root, $Who, $Entries)
    foreach ($entry in $Entries) {
        if ($entry.Action -ne 'Set') { continue }
        $path = $Root + '\' + $entry.Key
        $item = Get-Item -LiteralPath $path -ErrorAction SilentlyContinue
        if ($null -ne $item -and $item.GetValueNames() -contains $entry.Name) {
            if ($PSCmdlet.ShouldProcess("$path\$($entry.Name)", 'delete')) {
                Remove-ItemProperty -LiteralPath $path -Name $entry.Name
            }
        }
    }
    Write-Output ("DONE {0}" -f $Who)
}
if ($script:GpforgeErrors -gt 0) { exit 1 }
exit 0
