using System;
using System.Globalization;

namespace FlyIo.Release;

/// <summary>Reads "5m", "1m30s", "300s", "00:05:00" or "300" (seconds) and writes a Go duration like "5m" or "90s".</summary>
public static class GoDuration
{
    public static bool TryParse(string? text, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var t = (text ?? string.Empty).Trim();
        if (t.Length == 0)
        {
            error = "it is empty";
            return false;
        }

        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
        }
        else if (t.IndexOf(':') >= 0)
        {
            if (!TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out value))
            {
                error = "'" + t + "' is not a TimeSpan (hh:mm:ss)";
                return false;
            }
        }
        else if (!TryParseGo(t, out value))
        {
            error = "'" + t + "' is not a duration: write e.g. \"5m\", \"90s\", \"1h\", \"00:05:00\" or a number of seconds";
            return false;
        }

        if (value <= TimeSpan.Zero)
        {
            error = "'" + t + "' is not a positive duration";
            return false;
        }

        return true;
    }

    /// <summary>"5m", "90s", "2h", "1500ms": the largest whole unit.</summary>
    public static string Format(TimeSpan value)
    {
        var ms = (long)Math.Round(value.TotalMilliseconds);
        if (ms % 1000 != 0)
        {
            return ms.ToString(CultureInfo.InvariantCulture) + "ms";
        }

        var s = ms / 1000;
        if (s % 3600 == 0)
        {
            return (s / 3600).ToString(CultureInfo.InvariantCulture) + "h";
        }

        return s % 60 == 0 ? (s / 60).ToString(CultureInfo.InvariantCulture) + "m" : s.ToString(CultureInfo.InvariantCulture) + "s";
    }

    private static bool TryParseGo(string t, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var i = 0;
        double total = 0;
        while (i < t.Length)
        {
            var start = i;
            while (i < t.Length && (char.IsDigit(t[i]) || t[i] == '.'))
            {
                i++;
            }

            if (i == start || !double.TryParse(t.Substring(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = i;
            while (i < t.Length && !char.IsDigit(t[i]) && t[i] != '.')
            {
                i++;
            }

            switch (t.Substring(unitStart, i - unitStart))
            {
                case "h": total += number * 3600000; break;
                case "m": total += number * 60000; break;
                case "s": total += number * 1000; break;
                case "ms": total += number; break;
                case "us":
                case "\u00b5s": total += number / 1000; break;
                case "ns": total += number / 1000000; break;
                default: return false;
            }
        }

        value = TimeSpan.FromMilliseconds(total);
        return true;
    }
}
