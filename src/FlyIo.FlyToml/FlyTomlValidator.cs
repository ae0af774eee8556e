using FlyIo.AppModel;
using System;
using System.IO;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Project;
using FlyIo.FlyToml.Rules;
using FlyIo.FlyToml.Schema;
using FlyIo.Toml;

namespace FlyIo.FlyToml;

/// <summary>Validates a fly.toml the way flyctl would, plus cross-checks against the .NET project it deploys.</summary>
public static class FlyTomlValidator
{
    /// <summary>Rules that read more than one key; single-key checks come from the schema walk.</summary>
    private static readonly IFlyTomlRule[] Rules =
    {
        new AppNameRule(),
        new BuildRules(),
        new DeployRules(),
        new ShellCommandRules(),
        new TopLevelCheckRules(),
        new ServiceCheckRules(),
        new ServiceShapeRules(),
        new ProcessGroupRules(),
        new MountRules(),
        new FilesRule(),
        new PortCrossCheck(),
        new HealthPathCrossCheck(),
        new GcMemoryCrossCheck(),
    };

    public static ValidationResult Validate(string flyTomlPath, FlyTomlValidationOptions options)
    {
        if (flyTomlPath is null)
        {
            throw new ArgumentNullException(nameof(flyTomlPath));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var bag = new DiagnosticBag();
        var sink = new DiagnosticSink(bag, flyTomlPath);
        if (!File.Exists(flyTomlPath) && !Directory.Exists(flyTomlPath))
        {
            sink.Error(FlyCodes.FlyTomlNotFound, TomlRead.WholeFile,
                $"fly.toml was not found at '{flyTomlPath}'; create it with 'fly launch --no-deploy', or point the FlyConfigFile property at the existing file.");
            return new ValidationResult(bag.Items, null);
        }

        TomlDocument document;
        try
        {
            document = TomlParser.ParseFile(flyTomlPath);
        }
        catch (TomlParseException e) when (e.Descriptor == FlyCodes.TomlNotAFile || e.Descriptor == FlyCodes.TomlFileTooLarge)
        {
            bag.Add(e.Descriptor.Create(e.Reason + ".", flyTomlPath, 0, 0));
            return new ValidationResult(bag.Items, null);
        }
        catch (TomlParseException e)
        {
            bag.Add(e.Descriptor.Create(
                $"fly.toml is not valid TOML: {e.Reason}. Fix the syntax at this position.", flyTomlPath, e.Line, e.Column));
            return new ValidationResult(bag.Items, null);
        }

        new SchemaWalker(sink, options.Strict).WalkDocument(document.Root);
        var context = new RuleContext(document.Root, sink, options);
        foreach (var rule in Rules)
        {
            rule.Check(context);
        }

        return new ValidationResult(bag.Items, document);
    }
}
