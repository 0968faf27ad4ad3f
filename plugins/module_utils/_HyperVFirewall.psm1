# Copyright: (c) 2026, effective.wsl contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Shared by the Hyper-V firewall modules: raw properties for Python to interpret, and the one
# normalisation their generic comparison loops use.

Function Get-RawProperty {
    # The named properties as printed: a string, a list of strings, or null.
    param($InputObject, [string[]]$Property)
    $raw = @{}
    foreach ($propertyName in $Property) {
        $value = $InputObject.$propertyName
        if ($value -is [System.Array]) {
            $raw[$propertyName] = @($value | ForEach-Object { [string]$_ })
        }
        elseif ($null -ne $value) {
            $raw[$propertyName] = [string]$value
        }
        else {
            $raw[$propertyName] = $null
        }
    }
    $raw
}

Function Get-ComparisonKey {
    # One normalisation for every property: each element as a trimmed string, mapped through the
    # spellings the action plugin declared equivalent, lower-cased, sorted and joined.
    param($Value, $Spelling = $null)
    $texts = @()
    foreach ($item in @($Value)) {
        if ($null -eq $item) {
            continue
        }
        $text = ([string]$item).Trim()
        if ($null -ne $Spelling -and $Spelling.ContainsKey($text.ToLowerInvariant())) {
            $text = [string]$Spelling[$text.ToLowerInvariant()]
        }
        $texts += $text.ToLowerInvariant()
    }
    (@($texts) | Sort-Object) -join "`n"
}

Export-ModuleMember -Function @('Get-RawProperty', 'Get-ComparisonKey')
