using System.Collections.Generic;
using FlyIo.Diagnostics;

namespace FlyIo.FlyToml;

/// <summary>One diagnostic code: its identifier, its usual severity and a one-line title.</summary>
public sealed record FlyTomlCode(string Code, DiagnosticSeverity DefaultSeverity, string Title);

/// <summary>
/// The catalogue of every FLY1xxx code the fly.toml validator reports. Docs (docs/diagnostics/&lt;code&gt;.md) and tests
/// enumerate <see cref="All"/>, so a code exists only once it is listed here.
/// </summary>
public static class FlyTomlCodes
{
    // 1001-1019: the file and its overall structure.
    public const string FileNotFound = "FLY1001";
    public const string MissingAppName = "FLY1002";

    // 1020-1049: value types, units, enumerations, ranges.
    public const string WrongType = "FLY1020";
    public const string InvalidDuration = "FLY1021";
    public const string NanosecondTimeout = "FLY1022";
    public const string InvalidMemorySize = "FLY1023";
    public const string InvalidVolumeSize = "FLY1024";
    public const string ValueNotAllowed = "FLY1025";
    public const string OutOfRange = "FLY1026";

    // 1050-1099: flyctl's own validation rules.
    public const string CanaryWithMounts = "FLY1050";
    public const string BlueGreenWithoutChecks = "FLY1051";
    public const string TopLevelCheckType = "FLY1052";
    public const string TopLevelCheckInterval = "FLY1053";
    public const string TopLevelCheckTimeout = "FLY1054";
    public const string TopLevelCheckPort = "FLY1055";
    public const string ServiceCheckDuration = "FLY1056";
    public const string ServiceWithoutProcesses = "FLY1057";
    public const string UnknownProcessGroup = "FLY1058";
    public const string MultipleMountsPerGroup = "FLY1059";
    public const string MountTooSmall = "FLY1060";
    public const string AutoExtendIncomplete = "FLY1061";
    public const string MaxUnavailableIgnored = "FLY1062";
    public const string MultipleBuildSources = "FLY1063";
    public const string ServiceWithoutPorts = "FLY1064";
    public const string ShellSplit = "FLY1065";
    public const string FileSourceCount = "FLY1066";
    public const string InvalidAppName = "FLY1067";

    // 1100-1129: legacy forms flyctl still migrates.
    public const string LegacyKey = "FLY1100";
    public const string LegacyValueShape = "FLY1101";
    public const string EmptyPlaceholder = "FLY1102";
    public const string NoEffectOnMachines = "FLY1103";

    // 1130-1149: keys the schema does not know.
    public const string UnknownKey = "FLY1130";

    // 1150-1199: cross-checks against the project being deployed.
    public const string InternalPortMismatch = "FLY1150";
    public const string DockerfileExposeMismatch = "FLY1151";
    public const string HealthCheckPathNotMapped = "FLY1152";
    public const string ServerGcOnSmallVm = "FLY1153";

    public static IReadOnlyList<FlyTomlCode> All { get; } = new[]
    {
        new FlyTomlCode(FileNotFound, DiagnosticSeverity.Error, "fly.toml was not found"),
        new FlyTomlCode(MissingAppName, DiagnosticSeverity.Error, "No app name in fly.toml and none given by the FlyApp property"),
        new FlyTomlCode(WrongType, DiagnosticSeverity.Error, "A key has a value of the wrong type"),
        new FlyTomlCode(InvalidDuration, DiagnosticSeverity.Error, "A duration is not a Go duration string such as \"5s\" or \"1m30s\""),
        new FlyTomlCode(NanosecondTimeout, DiagnosticSeverity.Warning, "A bare integer deploy timeout means nanoseconds to flyctl"),
        new FlyTomlCode(InvalidMemorySize, DiagnosticSeverity.Error, "A VM memory size cannot be read"),
        new FlyTomlCode(InvalidVolumeSize, DiagnosticSeverity.Error, "A volume size cannot be read"),
        new FlyTomlCode(ValueNotAllowed, DiagnosticSeverity.Error, "A value is not one of the values flyctl or the Machines API accepts"),
        new FlyTomlCode(OutOfRange, DiagnosticSeverity.Error, "A number is outside the range Fly accepts"),
        new FlyTomlCode(CanaryWithMounts, DiagnosticSeverity.Error, "The canary strategy cannot be used with volumes"),
        new FlyTomlCode(BlueGreenWithoutChecks, DiagnosticSeverity.Error, "The bluegreen strategy needs at least one health check"),
        new FlyTomlCode(TopLevelCheckType, DiagnosticSeverity.Error, "A [checks] entry has no type or a type other than http or tcp"),
        new FlyTomlCode(TopLevelCheckInterval, DiagnosticSeverity.Error, "A [checks] interval is shorter than 2 seconds"),
        new FlyTomlCode(TopLevelCheckTimeout, DiagnosticSeverity.Error, "A [checks] timeout is longer than 60 seconds"),
        new FlyTomlCode(TopLevelCheckPort, DiagnosticSeverity.Error, "A [checks] entry has no port and there is no [http_service] to take it from"),
        new FlyTomlCode(ServiceCheckDuration, DiagnosticSeverity.Warning, "A service check duration is under 1 second or over 1 minute and will be adjusted"),
        new FlyTomlCode(ServiceWithoutProcesses, DiagnosticSeverity.Error, "A service lists no processes while [processes] defines groups"),
        new FlyTomlCode(UnknownProcessGroup, DiagnosticSeverity.Error, "A processes list names a group that [processes] does not define"),
        new FlyTomlCode(MultipleMountsPerGroup, DiagnosticSeverity.Error, "A process group has more than one [[mounts]] section"),
        new FlyTomlCode(MountTooSmall, DiagnosticSeverity.Error, "A volume size is smaller than 1 GB"),
        new FlyTomlCode(AutoExtendIncomplete, DiagnosticSeverity.Error, "auto_extend_size_threshold is set without an increment or a limit"),
        new FlyTomlCode(MaxUnavailableIgnored, DiagnosticSeverity.Warning, "max_unavailable has no effect with this deploy strategy"),
        new FlyTomlCode(MultipleBuildSources, DiagnosticSeverity.Warning, "[build] names more than one build source"),
        new FlyTomlCode(ServiceWithoutPorts, DiagnosticSeverity.Warning, "A [[services]] entry exposes no ports"),
        new FlyTomlCode(ShellSplit, DiagnosticSeverity.Error, "A command line cannot be split like a shell line"),
        new FlyTomlCode(FileSourceCount, DiagnosticSeverity.Warning, "A [[files]] entry needs exactly one of local_path, secret_name or raw_value"),
        new FlyTomlCode(InvalidAppName, DiagnosticSeverity.Error, "The app name is not one Fly accepts"),
        new FlyTomlCode(LegacyKey, DiagnosticSeverity.Warning, "A legacy key or section name that flyctl renames"),
        new FlyTomlCode(LegacyValueShape, DiagnosticSeverity.Warning, "A legacy value form that flyctl converts"),
        new FlyTomlCode(EmptyPlaceholder, DiagnosticSeverity.Warning, "An empty placeholder such as processes = [] that flyctl drops"),
        new FlyTomlCode(NoEffectOnMachines, DiagnosticSeverity.Warning, "A setting that has no effect on Fly Machines apps"),
        new FlyTomlCode(UnknownKey, DiagnosticSeverity.Warning, "An unknown key or section (an error in strict mode)"),
        new FlyTomlCode(InternalPortMismatch, DiagnosticSeverity.Error, "internal_port differs from the port the .NET app listens on"),
        new FlyTomlCode(DockerfileExposeMismatch, DiagnosticSeverity.Warning, "internal_port is not among the Dockerfile's EXPOSE ports"),
        new FlyTomlCode(HealthCheckPathNotMapped, DiagnosticSeverity.Warning, "An HTTP health check path is not mapped by the app"),
        new FlyTomlCode(ServerGcOnSmallVm, DiagnosticSeverity.Warning, "Server GC on a VM with 512 MB or less"),
    };
}
