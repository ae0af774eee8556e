using System;
using System.Globalization;
using System.Linq;
using FlyIo.AppModel.Units;

namespace FlyIo.Release;

/// <summary>
/// A duration MSBuild property (FlyReleaseCommandTimeout, FlySmokeCheckWindow): a Go duration ("5m", "1m30s"), a
/// TimeSpan ("00:05:00") or whole seconds ("300"), and positive; written back for fly.toml as a Go duration in its
/// largest whole unit ("5m", "90s").
/// </summary>
public static class DurationProperty
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

        if (t.IndexOf(':') >= 0)
        {
            if (!TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out value))
            {
                error = "'" + t + "' is not a TimeSpan (hh:mm:ss)";
                return false;
            }
        }
        else if (GoDuration.TryParse(t.All(c => c >= '0' && c <= '9') ? t + "s" : t) is { } go)
        {
            // Whole seconds are read as Go seconds, so a count Go could not hold is refused like "2562048h" would be.
            value = go;
        }
        else
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
}
