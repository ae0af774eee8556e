using System;
using System.Globalization;

namespace FlyIo.AppModel.Units;

/// <summary>
/// Reads Go's time.ParseDuration syntax ("300ms", "1m30s", "-1.5h"), the only duration text flyctl and the Machines
/// API accept, and writes it back. A bare "0" is allowed; every other number needs a unit; no spaces.
/// </summary>
public static class GoDuration
{
    private const double NanosPerSecond = 1_000_000_000d;

    /// <summary>Go keeps a duration in an int64 of nanoseconds (about 292 years) and rejects longer text.</summary>
    private const double MaxNanos = long.MaxValue;

    /// <summary>Parses <paramref name="text"/> into seconds; false when Go would reject it.</summary>
    public static bool TryParseSeconds(string text, out double seconds)
    {
        seconds = 0;
        var s = text;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '-' || s[0] == '+'))
        {
            negative = s[0] == '-';
            i = 1;
        }

        if (s.Substring(i) == "0")
        {
            return true;
        }

        if (i >= s.Length)
        {
            return false;
        }

        double totalNanos = 0;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && (char.IsDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            var numberText = s.Substring(numberStart, i - numberStart);
            if (numberText.Length == 0 || numberText == "." ||
                !double.TryParse(numberText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unitNanos = UnitInNanos(s.Substring(unitStart, i - unitStart));
            if (unitNanos == 0)
            {
                return false;
            }

            totalNanos += number * unitNanos;
            if (totalNanos > MaxNanos)
            {
                return false;
            }
        }

        seconds = (negative ? -totalNanos : totalNanos) / NanosPerSecond;
        return true;
    }

    /// <summary>The duration in <paramref name="text"/>; null when it is absent or not a Go duration.</summary>
    public static TimeSpan? TryParse(string? text) =>
        text is { Length: > 0 } && TryParseSeconds(text, out var seconds) ? TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond)) : null;

    /// <summary>
    /// Go's own form (time.Duration.String: "15s", "1m30s", "1h0m0s", "500ms"), as the Machines API writes durations;
    /// nothing below zero is sent, so those read "0s". Whole milliseconds.
    /// </summary>
    public static string FormatGo(TimeSpan value)
    {
        var ms = (long)Math.Round(value.TotalMilliseconds);
        if (ms <= 0)
        {
            return "0s";
        }

        if (ms < 1000)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var hours = ms / 3_600_000;
        var minutes = ms / 60_000 % 60;
        var text = hours > 0 ? hours.ToString(CultureInfo.InvariantCulture) + "h" : "";
        if (hours > 0 || minutes > 0)
        {
            text += minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        return text + (ms % 60_000 / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }

    /// <summary>A short human form, e.g. 90 s -> "1m30s", used in messages.</summary>
    public static string Format(double seconds)
    {
        if (seconds < 1)
        {
            return (seconds * 1000).ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var whole = (long)seconds;
        var text = "";
        if (whole >= 3600)
        {
            text += (whole / 3600).ToString(CultureInfo.InvariantCulture) + "h";
            whole %= 3600;
        }

        if (whole >= 60)
        {
            text += (whole / 60).ToString(CultureInfo.InvariantCulture) + "m";
            whole %= 60;
        }

        var rest = whole + (seconds - (long)seconds);
        if (rest > 0 || text.Length == 0)
        {
            text += rest.ToString("0.###", CultureInfo.InvariantCulture) + "s";
        }

        return text;
    }

    private static double UnitInNanos(string unit) => unit switch
    {
        "ns" => 1,
        "us" or "\u00b5s" or "\u03bcs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => 0,
    };
}
