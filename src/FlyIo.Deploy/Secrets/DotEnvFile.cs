using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using FlyIo.Diagnostics;

namespace FlyIo.Deploy.Secrets;

/// <summary>
/// A dotenv file of secrets (FlySecretsFile). A mistake is reported by line, never by content: a line may hold a
/// value.
/// </summary>
public static class DotEnvFile
{
    /// <summary>
    /// Reads NAME=value lines: blank lines and # comments skipped, an optional `export ` prefix, values unquoted
    /// (an inline " #" starts a comment), 'single-quoted' (literal) or "double-quoted" (\n, \", \\ escapes; may span
    /// lines, as PEM keys do).
    /// </summary>
    public static void Read(string path, IDictionary<string, string?> secrets, ICollection<FlyDiagnostic> diagnostics)
    {
        if (!File.Exists(path))
        {
            diagnostics.Add(FlyCodes.SecretsFileInvalid.Create($"FlySecretsFile '{path}' does not exist.", path));
            return;
        }

        var lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line.Substring("export ".Length).TrimStart();
            }

            var equals = line.IndexOf('=');
            var name = equals < 0 ? line : line.Substring(0, equals).Trim();
            if (equals < 0 || !DeploySecrets.IsValidName(name))
            {
                // The line may hold a value: say where, never what.
                diagnostics.Add(FlyCodes.SecretsFileInvalid.Create(
                    "This line is not NAME=value (a name of letters, digits and '_').", path, lineNumber, 1));
                continue;
            }

            var raw = line.Substring(equals + 1).Trim();
            if (raw.StartsWith("\"", StringComparison.Ordinal))
            {
                var text = new StringBuilder(raw.Substring(1));
                var startLine = lineNumber;
                int end;
                while ((end = ClosingQuote(text.ToString())) < 0 && i + 1 < lines.Length)
                {
                    i++;
                    text.Append('\n').Append(lines[i]);
                }

                if (end < 0)
                {
                    diagnostics.Add(FlyCodes.SecretsFileInvalid.Create(
                        $"The double-quoted value of '{name}' is never closed.", path, startLine, 1));
                    return;
                }

                secrets[name] = Unescape(text.ToString().Substring(0, end));
            }
            else if (raw.StartsWith("'", StringComparison.Ordinal))
            {
                var close = raw.IndexOf('\'', 1);
                if (close < 0)
                {
                    diagnostics.Add(FlyCodes.SecretsFileInvalid.Create(
                        $"The single-quoted value of '{name}' is not closed on its line.", path, lineNumber, 1));
                    continue;
                }

                secrets[name] = raw.Substring(1, close - 1);
            }
            else
            {
                var comment = raw.IndexOf(" #", StringComparison.Ordinal);
                secrets[name] = (comment >= 0 ? raw.Substring(0, comment) : raw).TrimEnd();
            }
        }
    }

    private static int ClosingQuote(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == '"')
            {
                return i;
            }
        }

        return -1;
    }

    private static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                sb.Append(text[i] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => text[i] });
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }
}
