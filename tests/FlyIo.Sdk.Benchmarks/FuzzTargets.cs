using System;
using System.IO;
using FlyIo.FlyToml;
using FlyIo.Toml;
using FlyIo.Toml.Editing;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>What the fuzzer feeds: the TOML parser, the fly.toml validator (from a file, as FlyValidate reads it), and the editor.</summary>
public static class FuzzTargets
{
    public static Action<byte[]>? Named(string name) => name switch
    {
        "parser" => input => TomlParser.Parse(input),
        "validator" => Validate,
        "editor" => Edit,
        _ => null,
    };

    /// <summary>The validator reports every problem as a diagnostic: only an exception is a crash.</summary>
    public static void Validate(byte[] input)
    {
        var path = Path.Combine(Path.GetTempPath(), "flyio-fuzz-" + Environment.CurrentManagedThreadId + ".toml");
        File.WriteAllBytes(path, input);
        try
        {
            FlyTomlValidator.Validate(path, new FlyTomlValidationOptions { Strict = true });
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The release-command edit: set, then remove; an edit that would make the document invalid is refused (InvalidOperationException), which counts as a rejection.</summary>
    public static void Edit(byte[] input)
    {
        var editor = TomlEditor.FromBytes(input);
        try
        {
            editor.SetString(TomlPath.Parse("deploy.release_command"), "migrate");
            var edited = TomlEditor.FromBytes(editor.ToBytes());
            edited.Remove(TomlPath.Parse("deploy.release_command"));
            TomlParser.Parse(edited.ToBytes());
        }
        catch (InvalidOperationException e)
        {
            // The editor's refusal (a key that is not a table, an edit that would make the document invalid).
            throw new TomlParseException(FlyIo.Diagnostics.FlyCodes.TomlSyntax, e.Message, 0, 0);
        }
    }
}
