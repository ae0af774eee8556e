using System.Text;
using FlyIo.AppModel;

namespace FlyIo.Launch;

/// <summary>The app name FlyLaunch writes: FlyApp as given, else the project (or folder) name made into a name Fly accepts.</summary>
public static class LaunchAppName
{
    private const int MaxLength = 63;

    /// <summary>
    /// flyctl's sanitizeAppName: non-ASCII characters dropped, every run of other non-alphanumerics one dash, lowercase,
    /// no dash at either end; then cut to Fly's 63 characters. Empty when nothing usable is left.
    /// </summary>
    public static string FromProjectName(string name)
    {
        var text = new StringBuilder(name.Length);
        var lastWasDash = false;
        foreach (var c in name)
        {
            if (c >= 128)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
                lastWasDash = false;
            }
            else if (!lastWasDash)
            {
                text.Append('-');
                lastWasDash = true;
            }
        }

        var sanitized = text.ToString().Trim('-');
        if (sanitized.Length > MaxLength)
        {
            sanitized = sanitized.Substring(0, MaxLength).TrimEnd('-');
        }

        return AppNames.IsValid(sanitized) ? sanitized : "";
    }
}
