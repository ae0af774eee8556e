using System.Text.RegularExpressions;

namespace FlyIo.AppModel;

/// <summary>
/// Fly's app names: 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit. The name goes into
/// API paths and host names (<c>app.fly.dev</c>), so nothing else may pass: not a space, a slash, "..", or a semicolon.
/// </summary>
public static class AppNames
{
    private static readonly Regex Valid = new("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant);

    public static bool IsValid(string name) => Valid.IsMatch(name);

    public static string Problem(string name, string where) =>
        $"{where} is \"{Shown(name)}\", which is not an app name Fly accepts: use 1 to 63 lowercase letters, digits and dashes, starting with a letter or digit (it becomes {{name}}.fly.dev).";

    /// <summary>The name as shown in a message: control characters escaped, very long names cut.</summary>
    private static string Shown(string name)
    {
        var text = Regex.Replace(name, @"\p{Cc}", m => "\\u" + ((int)m.Value[0]).ToString("x4"));
        return text.Length > 80 ? text.Substring(0, 80) + "…" : text;
    }
}
