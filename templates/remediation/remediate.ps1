# remediate.ps1: writes every setting of the baseline, per user and machine; -WhatIf prints what
# it would change. Exit 0 when done, 1 when a place could not be reached or written.
Invoke-GpforgeTargets {
    param($Root, $Who, $Entries)
    foreach ($entry in $Entries) {
        if ($null -eq (Test-GpforgeEntry $Root $entry)) { continue }
        $path = $Root + '\' + $entry.Key
        switch ($entry.Action) {
            'Set' {
                if ($PSCmdlet.ShouldProcess("$path\$($entry.Name)", "set $($entry.Type) $($entry.Data)")) {
                    if (-not (Test-Path -LiteralPath $path)) { New-Item -Path $path -Force | Out-Null }
                    New-ItemProperty -LiteralPath $path -Name $entry.Name -PropertyType $entry.Type -Value (ConvertTo-GpforgeValue $entry) -Force | Out-Null
                }
            }
            'Delete' {
                if ($PSCmdlet.ShouldProcess("$path\$($entry.Name)", 'delete')) {
                    Remove-ItemProperty -LiteralPath $path -Name $entry.Name -ErrorAction SilentlyContinue
                }
            }
            'DeleteAll' {
                $own = @($Settings | Where-Object { $_.Action -eq 'Set' -and $_.Key -eq $entry.Key } | ForEach-Object { $_.Name })
                $item = Get-Item -LiteralPath $path -ErrorAction SilentlyContinue
                if ($null -ne $item) {
                    foreach ($n in @($item.GetValueNames() | Where-Object { $own -notcontains $_ })) {
                        if ($PSCmdlet.ShouldProcess("$path\$n", 'delete (the list holds only the baseline''s values)')) {
                            Remove-ItemProperty -LiteralPath $path -Name $n
                        }
                    }
                }
            }
        }
    }
    Write-Output ("DONE {0}" -f $Who)
}
if ($script:GpforgeErrors -gt 0) { exit 1 }
exit 0
