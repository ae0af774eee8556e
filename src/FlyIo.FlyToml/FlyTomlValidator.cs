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
        new FileLocalPathRule(),
        new ExperimentalCmdRule(),
        new PortCrossCheck(),
        new HealthPathCrossCheck(),
        new GcMemoryCrossCheck(),
        new ContainerCrossCheck(),
    };

    /// <summary>Reads <paramref name="flyTomlPath"/> and validates it; targets that share one read call the other overload.</summary>
    public static ValidationResult Validate(string flyTomlPath, FlyTomlValidationOptions options) =>
        Validate(FlyConfig.Load(flyTomlPath ?? throw new ArgumentNullException(nameof(flyTomlPath))), options);

    public static ValidationResult Validate(FlyConfig config, FlyTomlValidationOptions options)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        var flyTomlPath = config.Path;
        var bag = new DiagnosticBag();
        var sink = new DiagnosticSink(bag, flyTomlPath);
        if (!config.Exists)
        {
            sink.Error(FlyCodes.FlyTomlNotFound, TomlRead.WholeFile,
                $"fly.toml was not found at '{flyTomlPath}'; write one with `dotnet build -t:FlyLaunch` (derived from the project), or point the FlyConfigFile property at the existing file.");
            return new ValidationResult(bag.Items, null);
        }

        switch (config.Error)
        {
            case { } e when e.Descriptor == FlyCodes.TomlNotAFile || e.Descriptor == FlyCodes.TomlFileTooLarge:
                bag.Add(e.Descriptor.Create(e.Reason + ".", flyTomlPath, 0, 0));
                return new ValidationResult(bag.Items, null);
            case { } e:
                bag.Add(e.Descriptor.Create(
                    $"fly.toml is not valid TOML: {e.Reason}. Fix the syntax at this position.", flyTomlPath, e.Line, e.Column));
                return new ValidationResult(bag.Items, null);
        }

        var document = config.Document!;
        new SchemaWalker(sink, options.Strict).WalkDocument(document.Root);
        var context = new RuleContext(config, sink, options);
        foreach (var rule in Rules)
        {
            rule.Check(context);
        }

        return new ValidationResult(bag.Items, document);
    }
}
