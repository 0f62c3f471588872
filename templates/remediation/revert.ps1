
# revert.ps1: removes every value the baseline writes (back to "not configured"); -WhatIf
# prints what it would remove.
foreach ($entry in $Settings) {
    if ($entry.Action -ne 'Set') { continue }
    foreach ($root in (Get-GpforgeRoots $entry.Class)) {
        $path = $root + '\' + $entry.Key
        $item = Get-Item -LiteralPath $path -ErrorAction SilentlyContinue
        if ($null -ne $item -and $item.GetValueNames() -contains $entry.Name) {
            if ($PSCmdlet.ShouldProcess("$path\$($entry.Name)", 'delete')) {
                Remove-ItemProperty -LiteralPath $path -Name $entry.Name
            }
        }
    }
}
