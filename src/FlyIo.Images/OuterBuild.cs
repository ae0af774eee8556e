using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FlyIo.Images;

/// <summary>
/// What the command that started the deploy says about the build, carried into the image's own <c>dotnet publish</c>:
/// its configuration (<c>-c</c>) and its other global properties (<c>-p:</c>). Decided from MSBuild's global
/// properties alone, so a value the project itself sets is the project's business inside the image too.
/// </summary>
public sealed class OuterBuild
{
    /// <summary>The image's configuration when the command line names none.</summary>
    public const string DefaultConfiguration = "Release";

    /// <summary>Build args of the generated Dockerfile (see <see cref="DockerfileGenerator"/>).</summary>
    public const string ConfigurationArg = "BUILD_CONFIGURATION";

    public const string PropertiesArg = "BUILD_PROPERTIES";

    /// <summary>
    /// Global properties that never reach the image build:
    /// the token-like ones (a secret must not travel into a build, a builder's environment or image history);
    /// Configuration, which travels as <c>-c</c>; RuntimeIdentifier and TargetFramework, which the Dockerfile and the
    /// sdk builder decide (<c>-r</c>, <c>-f</c>) and which would make restore and publish disagree if given twice;
    /// the Container* names the sdk builder sets from the resolved image reference; the publish profile, which makes
    /// the outer publish a deploy and would switch the image's own publish off; and output folders (<c>-o</c>), which
    /// name places on this machine, while the image publishes where its Dockerfile says.
    /// </summary>
    private static readonly HashSet<string> Withheld = new(StringComparer.OrdinalIgnoreCase)
    {
        "Configuration", "RuntimeIdentifier", "TargetFramework", "ContainerRegistry", "ContainerRepository",
        "ContainerImageTag", "ContainerImageTags", "ContainerImageName", "ContainerRuntimeIdentifier",
        "FLY_API_TOKEN", "FLY_ACCESS_TOKEN",
        "PublishProfile", "PublishDir", "OutputPath", "OutDir",
        // Added by the dotnet CLI to every command (not typed by the user): the image's own dotnet adds its own.
        "NuGetInteractive",
    };

    private OuterBuild(string configuration, IReadOnlyDictionary<string, string> properties, IReadOnlyList<string> withheld)
    {
        Configuration = configuration;
        Properties = properties;
        WithheldNames = withheld;
    }

    /// <summary>The global Configuration (dotnet publish's Release default included), else <see cref="DefaultConfiguration"/>.</summary>
    public string Configuration { get; }

    /// <summary>The global properties passed on, by name (ordinal order, so the same command line gives the same build).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; }

    /// <summary>Names of global properties not passed on (names only, for the log).</summary>
    public IReadOnlyList<string> WithheldNames { get; }

    public bool IsDefault => Configuration == DefaultConfiguration && Properties.Count == 0;

    /// <summary>
    /// Sorts the outer build's global properties. Withheld besides the fixed names: every Fly* property (the SDK's
    /// own settings, FlyImage, FlyApiToken and the like, read by the deploy and meaningless to the app's publish),
    /// the variable FlyTokenVariable names, MSBuild's own (MSBuild*) and the ones the dotnet CLI adds by itself (a
    /// leading '_', such as dotnet publish's _IsPublishing; DOTNET_CLI_*; NuGetInteractive).
    /// </summary>
    public static OuterBuild From(IEnumerable<KeyValuePair<string, string>> globalProperties, string? tokenVariable = null)
    {
        var configuration = DefaultConfiguration;
        var passed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var withheld = new List<string>();
        foreach (var pair in globalProperties)
        {
            var name = pair.Key;
            if (string.Equals(name, "Configuration", StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(pair.Value))
            {
                configuration = pair.Value!.Trim();
                continue;
            }

            if (Withheld.Contains(name) || name.StartsWith("Fly", StringComparison.OrdinalIgnoreCase) || name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("_", StringComparison.Ordinal) || name.StartsWith("DOTNET_CLI_", StringComparison.OrdinalIgnoreCase) || (!string.IsNullOrWhiteSpace(tokenVariable) && string.Equals(name, tokenVariable!.Trim(), StringComparison.OrdinalIgnoreCase))
                || !IsName(name))
            {
                withheld.Add(name);
                continue;
            }

            passed[name] = pair.Value ?? string.Empty;
        }

        withheld.Sort(StringComparer.Ordinal);
        return new OuterBuild(configuration, passed, withheld);
    }

    /// <summary>
    /// The properties as one <c>BUILD_PROPERTIES</c> value: <c>-p:Name=Value</c> words separated by spaces, each value
    /// MSBuild-escaped (%XX) wherever the shell could split or expand it, so an unquoted <c>$BUILD_PROPERTIES</c> in a
    /// RUN line gives MSBuild exactly these properties, and MSBuild unescapes them back to the values given.
    /// </summary>
    public string PropertiesArgument() =>
        string.Join(" ", Properties.Select(p => "-p:" + p.Key + "=" + Escape(p.Value)));

    /// <summary>The properties as response-file lines for the sdk builder's <c>dotnet publish @file</c>: off its command line.</summary>
    public IEnumerable<string> ResponseFileLines() =>
        Properties.Select(p => "-p:" + p.Key + "=" + Escape(p.Value));

    /// <summary>
    /// MSBuild escaping of every ASCII character that is not plainly safe in a shell word or an MSBuild property
    /// (the shell splits only on ASCII white space, so other characters pass as they are).
    /// </summary>
    public static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c < 128 && !(char.IsLetterOrDigit(c) || c is '.' or '-' or '_' or '/' or ':' or ',' or '+' or '@'))
            {
                text.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    // An MSBuild property name: a letter or '_', then letters, digits, '_' or '-'.
    private static bool IsName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '_' or '-'));
}
