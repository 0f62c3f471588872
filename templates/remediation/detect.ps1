# detect.ps1: one line per setting that differs, per user and machine, then the verdict.
# Exit 0 when every setting holds where it applies, 1 when one does not or a place could not be
# checked. With no user profile on the device, says so (NO USER PROFILE) and exits 0: there is
# nothing to remediate, and the output never claims the user settings hold.
$script:failed = 0
Invoke-GpforgeTargets {
    param($Root, $Who, $Entries)
    $bad = 0
    foreach ($entry in $Entries) {
        $why = Test-GpforgeEntry $Root $entry
        if ($null -ne $why) {
            $bad++
            Write-Output ("NONCOMPLIANT {0} [{1}] {2}: {3}\{4}: {5}" -f $entry.Id, $entry.Stig, $Who, $entry.Key, $entry.Name, $why)
        }
    }
    $script:failed += $bad
    if ($bad -eq 0) { Write-Output ("OK {0}: {1} setting(s) hold" -f $Who, $Entries.Count) }
}
if ($script:GpforgeErrors -gt 0) {
    Write-Output ("ERROR: {0} place(s) could not be checked; {1} setting(s) differ" -f $script:GpforgeErrors, $script:failed)
    exit 1
}
if ($script:failed -gt 0) {
    Write-Output ("NONCOMPLIANT: {0} setting(s) differ ({1} user profile(s) checked)" -f $script:failed, $script:GpforgeUsers)
    exit 1
}
if ($script:GpforgeNoUser) {
    Write-Output 'NOTHING TO CHECK for users: no user profile on this device (machine settings, if any, hold)'
    exit 0
}
Write-Output ("COMPLIANT: every setting holds ({0} user profile(s) checked)" -f $script:GpforgeUsers)
exit 0
