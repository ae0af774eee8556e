using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using FlyIo.Diagnostics;

namespace FlyIo.Deploy.Secrets;

/// <summary>
/// One FlySecret item: exactly one of <see cref="Value"/>, <see cref="FromEnvironment"/> (a variable's name) or
/// <see cref="Unset"/>. <see cref="DefinedIn"/> is the project file that declares it, where a fix goes.
/// </summary>
public sealed record SecretRequest(string Name, string Value, string FromEnvironment, bool Unset, string DefinedIn);

/// <summary>
/// The secrets a deploy sets and unsets, from FlySecret items and a dotenv file; items win over the file for the
/// same name. Only names ever reach a diagnostic: values stay in the returned dictionary, which goes to the one
/// secrets POST.
/// </summary>
public static class DeploySecrets
{
    private static readonly Regex Name = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static bool IsValidName(string name) => Name.IsMatch(name);

    /// <summary>Name → value (null: unset the secret).</summary>
    public static Dictionary<string, string?> Resolve(IEnumerable<SecretRequest> items, string? secretsFile, ICollection<FlyDiagnostic> diagnostics)
    {
        var secrets = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(secretsFile))
        {
            DotEnvFile.Read(secretsFile!, secrets, diagnostics);
        }

        foreach (var item in items)
        {
            if (Check(item, diagnostics) is { } value)
            {
                secrets[item.Name] = item.Unset ? null : value;
            }
        }

        return secrets;
    }

    /// <summary>
    /// The names a deploy sets and unsets, for checks that need no values (no variable is read, and mistakes are
    /// the deploy's to report, so none are).
    /// </summary>
    public static (IReadOnlyList<string> Set, ISet<string> Unset) Names(IEnumerable<SecretRequest> items, string? secretsFile)
    {
        var ignored = new List<FlyDiagnostic>();
        var secrets = Resolve(items.Select(i => i with { FromEnvironment = "", Value = i.Unset ? "" : "set" }), secretsFile, ignored);
        return (secrets.Where(s => s.Value is not null).Select(s => s.Key).ToArray(),
            new HashSet<string>(secrets.Where(s => s.Value is null).Select(s => s.Key), StringComparer.Ordinal));
    }

    /// <summary>The item's value ("" when it unsets), or null after reporting why it has none.</summary>
    private static string? Check(SecretRequest item, ICollection<FlyDiagnostic> diagnostics)
    {
        if (!IsValidName(item.Name))
        {
            diagnostics.Add(FlyCodes.SecretWithoutValue.Create($"FlySecret '{item.Name}' is not a valid environment variable name (letters, digits and '_', not starting with a digit).", item.DefinedIn));
            return null;
        }

        var given = (item.Value.Length > 0 ? 1 : 0) + (item.FromEnvironment.Length > 0 ? 1 : 0) + (item.Unset ? 1 : 0);
        if (given != 1)
        {
            diagnostics.Add(FlyCodes.SecretWithoutValue.Create(
                $"FlySecret '{item.Name}' needs exactly one of FromEnvironment=\"VARIABLE\" (preferred: the value stays out of project files and logs), Value=\"...\" or Unset=\"true\".", item.DefinedIn));
            return null;
        }

        if (item.FromEnvironment.Length == 0)
        {
            return item.Value;
        }

        var fromVariable = Environment.GetEnvironmentVariable(item.FromEnvironment);
        if (string.IsNullOrEmpty(fromVariable))
        {
            diagnostics.Add(FlyCodes.SecretWithoutValue.Create(
                $"FlySecret '{item.Name}' reads the environment variable '{item.FromEnvironment}', which is not set. Set it (e.g. `export {item.FromEnvironment}=...`) before deploying.", item.DefinedIn));
            return null;
        }

        return fromVariable;
    }
}
