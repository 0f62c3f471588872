# --- gpforge: the fixed part of the baseline scripts (reviewed once; only the $Baseline and
# $Settings tables above it change from baseline to baseline) ---
$ErrorActionPreference = 'Stop'

# Where the settings go. Machine-class settings: HKLM. User-class settings live in each user's
# hive, under HKCU\Software\Policies, which only administrators and SYSTEM may write; so Intune
# runs these scripts as SYSTEM, and then every user profile of the device is visited:
# - the profiles are listed from ProfileList (local and domain accounts, S-1-5-21-…, and Entra ID
#   accounts, S-1-12-1-…; system and service profiles are skipped);
# - a signed-in user's hive is already loaded at HKEY_USERS\<SID> and is used there;
# - any other profile's NTUSER.DAT is loaded under a temporary name, checked or written, and
#   unloaded again in a `finally`, also when the work on it failed.
# Run as a signed-in user (not SYSTEM), the script works on that user's HKCU only.
$GpforgeProfileList = 'Registry::HKEY_LOCAL_MACHINE\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList'
$GpforgeUserSid = '^S-1-5-21-\d+-\d+-\d+-\d+$|^S-1-12-1-\d+-\d+-\d+-\d+$'
$script:GpforgeErrors = 0
$script:GpforgeUsers = 0
$script:GpforgeNoUser = $false

# The user profiles of the device: SID and profile folder.
function Get-GpforgeUserProfiles {
    foreach ($key in @(Get-ChildItem -LiteralPath $GpforgeProfileList)) {
        $sid = $key.PSChildName
        if ($sid -notmatch $GpforgeUserSid) { continue }
        $folder = (Get-ItemProperty -LiteralPath $key.PSPath -Name 'ProfileImagePath' -ErrorAction SilentlyContinue).ProfileImagePath
        [pscustomobject]@{ Sid = $sid; Folder = [Environment]::ExpandEnvironmentVariables("$folder") }
    }
}

# Runs $Work once per place the settings apply to: & $Work <registry root> <who> <entries>.
# A place that cannot be reached (a hive that does not load) is reported and counted as an
# error, never skipped in silence.
function Invoke-GpforgeTargets([scriptblock]$Work) {
    $machine = @($Settings | Where-Object { $_.Class -eq 'Machine' })
    $user = @($Settings | Where-Object { $_.Class -eq 'User' })
    if ($machine.Count -gt 0) { & $Work 'Registry::HKEY_LOCAL_MACHINE' 'machine (HKLM)' $machine }
    if ($user.Count -eq 0) { return }
    $me = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value
    if ($me -ne 'S-1-5-18') {
        $script:GpforgeUsers++
        & $Work 'Registry::HKEY_CURRENT_USER' "user $me (HKCU)" $user
        return
    }
    $profiles = @(Get-GpforgeUserProfiles)
    if ($profiles.Count -eq 0) {
        $script:GpforgeNoUser = $true
        Write-Output ("NO USER PROFILE: ProfileList holds no user profile; the {0} user setting(s) were not checked or written" -f $user.Count)
        return
    }
    foreach ($p in $profiles) {
        $who = "user $($p.Sid) ($($p.Folder))"
        $mount = $null
        try {
            $root = 'Registry::HKEY_USERS\' + $p.Sid
            if (-not (Test-Path -LiteralPath $root)) {
                $hive = Join-Path $p.Folder 'NTUSER.DAT'
                if (-not (Test-Path -LiteralPath $hive -PathType Leaf)) { throw "no NTUSER.DAT in $($p.Folder)" }
                $name = 'gpforge_' + $p.Sid
                & reg.exe load "HKU\$name" "$hive" | Out-Null
                if ($LASTEXITCODE -ne 0) { throw "reg.exe load of $hive failed (exit $LASTEXITCODE)" }
                $mount = $name
                $root = 'Registry::HKEY_USERS\' + $name
            }
            $script:GpforgeUsers++
            & $Work $root $who $user
        } catch {
            $script:GpforgeErrors++
            Write-Output ("ERROR {0}: {1}" -f $who, $_)
        } finally {
            if ($null -ne $mount) {
                # Handles the registry provider still holds keep the hive loaded: release them.
                [gc]::Collect()
                [gc]::WaitForPendingFinalizers()
                & reg.exe unload "HKU\$mount" | Out-Null
                if ($LASTEXITCODE -ne 0) {
                    $script:GpforgeErrors++
                    Write-Output ("ERROR {0}: reg.exe unload of HKU\{1} failed (exit {2})" -f $who, $mount, $LASTEXITCODE)
                }
            }
        }
    }
}

# The value as the registry provider takes it.
function ConvertTo-GpforgeValue($Entry) {
    switch ($Entry.Type) {
        'DWord' { return [BitConverter]::ToInt32([BitConverter]::GetBytes([uint32]::Parse($Entry.Data)), 0) }
        'QWord' { return [BitConverter]::ToInt64([BitConverter]::GetBytes([uint64]::Parse($Entry.Data)), 0) }
        'String' { return [string]$Entry.Data }
        'ExpandString' { return [string]$Entry.Data }
        'MultiString' { return [string[]]@($Entry.Data) }
        'Binary' { return [byte[]]@($Entry.Data -split ' ' | Where-Object { $_ } | ForEach-Object { [Convert]::ToByte($_, 16) }) }
    }
}

# A value in a comparable text form: the kind and the data.
function Format-GpforgeValue($Kind, $Value) {
    switch ("$Kind") {
        'DWord' { return 'DWord ' + [BitConverter]::ToUInt32([BitConverter]::GetBytes([int32]$Value), 0) }
        'QWord' { return 'QWord ' + [BitConverter]::ToUInt64([BitConverter]::GetBytes([int64]$Value), 0) }
        'Binary' { return 'Binary ' + (($Value | ForEach-Object { '{0:x2}' -f $_ }) -join ' ') }
        'MultiString' { return 'MultiString ' + (@($Value) -join '|') }
        default { return "$Kind $Value" }
    }
}

# $null when a STIG rule's condition holds for a value (of registry kind $Kind, $null when
# absent), else why not. The same conditions as gpforge audit's, from the same data.
function Test-GpforgeRule($Rule, $Kind, $Value) {
    if ($Rule.Op -eq 'Present') { if ($null -eq $Kind) { return 'absent' }; return $null }
    if ($Rule.Op -eq 'Absent') { if ($null -ne $Kind) { return 'present' }; return $null }
    if ($null -eq $Kind) { return 'absent' }
    if ($Rule.Op -eq 'EqualsText') {
        if (@('String', 'ExpandString') -notcontains "$Kind") { return "wrong type: $Kind, a text is checked" }
        if ("$Value" -ceq $Rule.Data[0]) { return $null }
        return "found '$Value', needs '$($Rule.Data[0])'"
    }
    if (@('DWord', 'QWord') -notcontains "$Kind") { return "wrong type: $Kind, a number (REG_DWORD) is checked" }
    if ("$Kind" -eq 'DWord') { $n = [uint64][BitConverter]::ToUInt32([BitConverter]::GetBytes([int32]$Value), 0) }
    else { $n = [BitConverter]::ToUInt64([BitConverter]::GetBytes([int64]$Value), 0) }
    $want = @($Rule.Data | ForEach-Object { [uint64]::Parse($_) })
    $ok = $false
    switch ($Rule.Op) {
        'Equals' { $ok = $n -eq $want[0] }
        'AtLeast' { $ok = $n -ge $want[0] }
        'AtMost' { $ok = $n -le $want[0] }
        'OneOf' { $ok = $want -contains $n }
    }
    if ($ok) { return $null }
    return "found $n, needs $($Rule.Op) $($want -join ', ')"
}

# $null when the entry holds under $Root, else what differs. A value that STIG rules check is
# judged by their conditions (a setting may meet a rule with another value than the
# baseline's, such as a longer minimum key); any other value by equality.
function Test-GpforgeEntry([string]$Root, $Entry) {
    $path = $Root + '\' + $Entry.Key
    $item = Get-Item -LiteralPath $path -ErrorAction SilentlyContinue
    switch ($Entry.Action) {
        'Set' {
            if (@($Entry.Rules).Count -gt 0) {
                $kind = $null
                $found = $null
                if ($null -ne $item -and $item.GetValueNames() -contains $Entry.Name) {
                    $kind = $item.GetValueKind($Entry.Name)
                    $found = $item.GetValue($Entry.Name, $null, 'DoNotExpandEnvironmentNames')
                }
                $open = @()
                foreach ($rule in @($Entry.Rules)) {
                    $why = Test-GpforgeRule $rule $kind $found
                    if ($null -ne $why) { $open += "STIG $($rule.Id): $why" }
                }
                if ($open.Count -gt 0) { return ($open -join '; ') }
                return $null
            }
            if ($null -eq $item -or $item.GetValueNames() -notcontains $Entry.Name) { return 'absent' }
            $found = Format-GpforgeValue $item.GetValueKind($Entry.Name) $item.GetValue($Entry.Name, $null, 'DoNotExpandEnvironmentNames')
            $want = Format-GpforgeValue $Entry.Type (ConvertTo-GpforgeValue $Entry)
            if ($found -ne $want) { return "found $found, expected $want" }
        }
        'Delete' {
            if ($null -ne $item -and $item.GetValueNames() -contains $Entry.Name) { return 'present, expected absent' }
        }
        'DeleteAll' {
            $own = @($Settings | Where-Object { $_.Action -eq 'Set' -and $_.Key -eq $Entry.Key } | ForEach-Object { $_.Name })
            if ($null -ne $item) {
                $other = @($item.GetValueNames() | Where-Object { $own -notcontains $_ })
                if ($other.Count -gt 0) { return 'other values present: ' + ($other -join ', ') }
            }
        }
    }
    return $null
}

