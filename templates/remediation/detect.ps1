
# detect.ps1: exit 0 when every setting holds, 1 when not; one line per setting that differs.
$failed = 0
foreach ($entry in $Settings) {
    foreach ($root in (Get-GpforgeRoots $entry.Class)) {
        $why = Test-GpforgeEntry $root $entry
        if ($null -ne $why) {
            $failed++
            Write-Output ("NONCOMPLIANT {0} [{1}] {2}\{3}\{4}: {5}" -f $entry.Id, $entry.Stig, $root, $entry.Key, $entry.Name, $why)
        }
    }
}
if ($failed -gt 0) { exit 1 }
Write-Output 'COMPLIANT'
exit 0
