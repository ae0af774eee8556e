using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The secrets a deploy sets, from FlySecret items (a Value, or FromEnvironment naming a variable) and from a dotenv
/// file. Only names ever reach a diagnostic: values stay in the returned dictionary, which goes to the one secrets POST.
/// </summary>
internal static class DeploySecrets
{
    private static readonly Regex Name = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    /// <summary>Name → value (null: unset the secret). Items win over the file for the same name.</summary>
    public static Dictionary<string, string?> Resolve(ITaskItem[] items, string? secretsFile, string projectFile, List<FlyDiagnostic> diagnostics)
    {
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(secretsFile))
        {
            ReadDotEnv(secretsFile!, secrets, diagnostics);
        }

        foreach (var item in items)
        {
            var name = item.ItemSpec.Trim();
            // The item's own project file (a Directory.Build.props, say) is where the fix goes.
            var file = item.GetMetadata("DefiningProjectFullPath");
            file = string.IsNullOrEmpty(file) ? projectFile : file;
            if (!Name.IsMatch(name))
            {
                diagnostics.Add(Error(FlyCodes.SecretWithoutValue, $"FlySecret '{name}' is not a valid environment variable name (letters, digits and '_', not starting with a digit).", file));
                continue;
            }

            var value = item.GetMetadata("Value");
            var fromEnvironment = item.GetMetadata("FromEnvironment").Trim();
            var unset = string.Equals(item.GetMetadata("Unset").Trim(), "true", StringComparison.OrdinalIgnoreCase);
            var given = (value.Length > 0 ? 1 : 0) + (fromEnvironment.Length > 0 ? 1 : 0) + (unset ? 1 : 0);
            if (given != 1)
            {
                diagnostics.Add(Error(FlyCodes.SecretWithoutValue,
                    $"FlySecret '{name}' needs exactly one of FromEnvironment=\"VARIABLE\" (preferred: the value stays out of project files and logs), Value=\"...\" or Unset=\"true\".", file));
                continue;
            }

            if (unset)
            {
                secrets[name] = null;
            }
            else if (fromEnvironment.Length > 0)
            {
                var fromVariable = Environment.GetEnvironmentVariable(fromEnvironment);
                if (string.IsNullOrEmpty(fromVariable))
                {
                    diagnostics.Add(Error(FlyCodes.SecretWithoutValue,
                        $"FlySecret '{name}' reads the environment variable '{fromEnvironment}', which is not set. Set it (e.g. `export {fromEnvironment}=...`) before deploying.", file));
                    continue;
                }

                secrets[name] = fromVariable;
            }
            else
            {
                secrets[name] = value;
            }
        }

        return secrets;
    }

    /// <summary>
    /// Reads NAME=value lines: blank lines and # comments skipped, an optional `export ` prefix, values unquoted
    /// (an inline " #" starts a comment), 'single-quoted' (literal) or "double-quoted" (\n, \", \\ escapes; may span
    /// lines, as PEM keys do).
    /// </summary>
    internal static void ReadDotEnv(string path, Dictionary<string, string?> secrets, List<FlyDiagnostic> diagnostics)
    {
        if (!File.Exists(path))
        {
            diagnostics.Add(Error(FlyCodes.SecretsFileInvalid, $"FlySecretsFile '{path}' does not exist.", path));
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
            if (equals < 0 || !Name.IsMatch(name))
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

    private static FlyDiagnostic Error(DiagnosticDescriptor code, string message, string file) => code.Create(message, file);
}
