using System.Globalization;
using System.Text.RegularExpressions;

namespace FlyIo.AppModel.Units;

/// <summary>
/// Reads the sizes flyctl reads with docker/go-units: VM memory in binary units (1gb = 1024 MB, a bare number is MB)
/// and volume sizes in decimal units (a bare number is GB).
/// </summary>
public static class SizeParser
{
    private static readonly Regex SizeText = new(
        @"^\s*(?<n>[0-9]+(\.[0-9]+)?)\s*(?<u>[kmgtp]?)(i?b)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Memory in megabytes; text like "512mb", "1gb", "1g", "2048"; false when unreadable.</summary>
    public static bool TryParseMemoryMegabytes(string text, out double megabytes)
    {
        megabytes = 0;
        if (!TryParse(text, out var number, out var unit))
        {
            return false;
        }

        // A unit-less number means megabytes to flyctl (helpers.ParseSize with units.MiB).
        var bytes = unit.Length == 0 ? number * 1024 * 1024 : number * Power(1024, unit);
        megabytes = bytes / (1024 * 1024);
        return true;
    }

    /// <summary>Volume size in gigabytes (decimal); text like "10gb", "500MB", "3"; false when unreadable.</summary>
    public static bool TryParseVolumeGigabytes(string text, out double gigabytes)
    {
        gigabytes = 0;
        if (!TryParse(text, out var number, out var unit))
        {
            return false;
        }

        var bytes = unit.Length == 0 ? number * 1e9 : number * Power(1000, unit);
        gigabytes = bytes / 1e9;
        return true;
    }

    private static bool TryParse(string text, out double number, out string unit)
    {
        number = 0;
        unit = "";
        var match = SizeText.Match(text);
        if (!match.Success)
        {
            return false;
        }

        number = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        unit = match.Groups["u"].Value.ToLowerInvariant();

        // "512b" is bytes, not "no unit".
        if (unit.Length == 0 && text.Trim().EndsWith("b", System.StringComparison.OrdinalIgnoreCase))
        {
            unit = "b";
        }

        return true;
    }

    private static double Power(double baseValue, string unit) => unit switch
    {
        "b" => 1,
        "k" => baseValue,
        "m" => baseValue * baseValue,
        "g" => baseValue * baseValue * baseValue,
        "t" => baseValue * baseValue * baseValue * baseValue,
        "p" => baseValue * baseValue * baseValue * baseValue * baseValue,
        _ => 1,
    };
}
