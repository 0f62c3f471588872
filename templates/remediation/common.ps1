# --- gpforge: the fixed part of the baseline scripts (reviewed once; only the $Settings table
# above it changes from baseline to baseline) ---
$ErrorActionPreference = 'Stop'

# User-class settings live in each user's hive. Run as SYSTEM (Intune's default) the script
# applies them to every loaded user profile, HKEY_USERS\<SID>; run as the signed-in user, to
# HKCU (HKCU\Software\Policies is writable only by administrators and SYSTEM). Machine-class
# settings go to HKLM.
function Get-GpforgeRoots([string]$Class) {
    if ($Class -eq 'Machine') { return @('Registry::HKEY_LOCAL_MACHINE') }
    $me = [Security.Principal.WindowsIdentity]::GetCurrent().User.Value
    if ($me -ne 'S-1-5-18') { return @('Registry::HKEY_CURRENT_USER') }
    return @(Get-ChildItem -Path 'Registry::HKEY_USERS' |
        Where-Object { $_.PSChildName -match '^S-1-5-21-\d+-\d+-\d+-\d+$' } |
        ForEach-Object { 'Registry::HKEY_USERS\' + $_.PSChildName })
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

# $null when the entry holds under $Root, else what differs.
function Test-GpforgeEntry([string]$Root, $Entry) {
    $path = $Root + '\' + $Entry.Key
    $item = Get-Item -LiteralPath $path -ErrorAction SilentlyContinue
    switch ($Entry.Action) {
        'Set' {
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
