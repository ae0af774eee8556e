using System.Collections.Generic;

namespace FlyIo.Diagnostics;

/// <summary>
/// Every FLYnnnn code the SDK reports, in one table: code, default severity and the title of its page under
/// docs/diagnostics. A code means one thing; diagnostics are made from these rows (<see cref="DiagnosticDescriptor.Create"/>),
/// and tests check the table against the pages, the sources and the MSBuild targets.
/// </summary>
public static class FlyCodes
{
    // TOML (FLY0xxx): the parser; a file that is not TOML cannot be checked further.
    public static readonly DiagnosticDescriptor TomlInvalidEncoding = new("FLY0001", DiagnosticSeverity.Error, "invalid encoding");
    public static readonly DiagnosticDescriptor TomlSyntax = new("FLY0002", DiagnosticSeverity.Error, "syntax error");
    public static readonly DiagnosticDescriptor TomlInvalidString = new("FLY0003", DiagnosticSeverity.Error, "invalid string");
    public static readonly DiagnosticDescriptor TomlInvalidNumber = new("FLY0004", DiagnosticSeverity.Error, "invalid number");
    public static readonly DiagnosticDescriptor TomlInvalidDateTime = new("FLY0005", DiagnosticSeverity.Error, "invalid date/time");
    public static readonly DiagnosticDescriptor TomlDuplicateKey = new("FLY0006", DiagnosticSeverity.Error, "duplicate key");
    public static readonly DiagnosticDescriptor TomlTableConflict = new("FLY0007", DiagnosticSeverity.Error, "table redefined or key/table conflict");
    public static readonly DiagnosticDescriptor TomlNestingTooDeep = new("FLY0008", DiagnosticSeverity.Error, "nesting too deep");
    public static readonly DiagnosticDescriptor TomlNotAFile = new("FLY0009", DiagnosticSeverity.Error, "the TOML file is not a file that can be read");
    public static readonly DiagnosticDescriptor TomlFileTooLarge = new("FLY0010", DiagnosticSeverity.Error, "the TOML file is too large");

    // fly.toml (FLY1xxx). 1001-1019: the file and its overall structure.
    public static readonly DiagnosticDescriptor FlyTomlNotFound = new("FLY1001", DiagnosticSeverity.Error, "fly.toml was not found");
    public static readonly DiagnosticDescriptor MissingAppName = new("FLY1002", DiagnosticSeverity.Error, "No app name");
    public static readonly DiagnosticDescriptor FlyTomlExists = new("FLY1003", DiagnosticSeverity.Error, "FlyLaunch will not overwrite an existing fly.toml");
    public static readonly DiagnosticDescriptor LaunchNotPossible = new("FLY1004", DiagnosticSeverity.Error, "FlyLaunch cannot write a valid fly.toml for this project");

    // 1020-1049: value types, units, enumerations, ranges.
    public static readonly DiagnosticDescriptor WrongType = new("FLY1020", DiagnosticSeverity.Error, "A key has a value of the wrong type");
    public static readonly DiagnosticDescriptor InvalidDuration = new("FLY1021", DiagnosticSeverity.Error, "Not a Go duration");
    public static readonly DiagnosticDescriptor NanosecondTimeout = new("FLY1022", DiagnosticSeverity.Warning, "A bare integer deploy timeout means nanoseconds");
    public static readonly DiagnosticDescriptor InvalidMemorySize = new("FLY1023", DiagnosticSeverity.Error, "A VM memory size cannot be read");
    public static readonly DiagnosticDescriptor InvalidVolumeSize = new("FLY1024", DiagnosticSeverity.Error, "A volume size cannot be read");
    public static readonly DiagnosticDescriptor ValueNotAllowed = new("FLY1025", DiagnosticSeverity.Error, "A value is not one flyctl or the Machines API accepts");
    public static readonly DiagnosticDescriptor OutOfRange = new("FLY1026", DiagnosticSeverity.Error, "A number is outside the range Fly accepts");

    // 1050-1099: flyctl's own validation rules.
    public static readonly DiagnosticDescriptor StrategyRefusedWithMounts = new("FLY1050", DiagnosticSeverity.Error, "canary or bluegreen with volumes");
    public static readonly DiagnosticDescriptor BlueGreenWithoutChecks = new("FLY1051", DiagnosticSeverity.Error, "bluegreen without health checks");
    public static readonly DiagnosticDescriptor TopLevelCheckType = new("FLY1052", DiagnosticSeverity.Error, "Top-level check type");
    public static readonly DiagnosticDescriptor TopLevelCheckInterval = new("FLY1053", DiagnosticSeverity.Error, "Top-level check interval under 2 s");
    public static readonly DiagnosticDescriptor TopLevelCheckTimeout = new("FLY1054", DiagnosticSeverity.Error, "Top-level check timeout over 60 s");
    public static readonly DiagnosticDescriptor TopLevelCheckPort = new("FLY1055", DiagnosticSeverity.Error, "Top-level check without a port");
    public static readonly DiagnosticDescriptor ServiceCheckDuration = new("FLY1056", DiagnosticSeverity.Warning, "Service check duration clamped");
    public static readonly DiagnosticDescriptor ServiceWithoutProcesses = new("FLY1057", DiagnosticSeverity.Error, "Service without processes");
    public static readonly DiagnosticDescriptor UnknownProcessGroup = new("FLY1058", DiagnosticSeverity.Error, "Unknown process group");
    public static readonly DiagnosticDescriptor MultipleMountsPerGroup = new("FLY1059", DiagnosticSeverity.Error, "More than one mount per process group");
    public static readonly DiagnosticDescriptor MountTooSmall = new("FLY1060", DiagnosticSeverity.Error, "Volume smaller than 1 GB");
    public static readonly DiagnosticDescriptor AutoExtendIncomplete = new("FLY1061", DiagnosticSeverity.Error, "Incomplete auto-extend settings");
    public static readonly DiagnosticDescriptor MaxUnavailableIgnored = new("FLY1062", DiagnosticSeverity.Warning, "max_unavailable ignored");
    public static readonly DiagnosticDescriptor MultipleBuildSources = new("FLY1063", DiagnosticSeverity.Warning, "More than one build source");
    public static readonly DiagnosticDescriptor ServiceWithoutPorts = new("FLY1064", DiagnosticSeverity.Warning, "Service without ports");
    public static readonly DiagnosticDescriptor ShellSplit = new("FLY1065", DiagnosticSeverity.Error, "Command line cannot be split");
    public static readonly DiagnosticDescriptor FileSourceCount = new("FLY1066", DiagnosticSeverity.Warning, "[[files]] content source");
    public static readonly DiagnosticDescriptor InvalidAppName = new("FLY1067", DiagnosticSeverity.Error, "the app name is not one Fly accepts");

    // 1100-1129: legacy forms flyctl still migrates.
    public static readonly DiagnosticDescriptor LegacyKey = new("FLY1100", DiagnosticSeverity.Warning, "Legacy key or section name");
    public static readonly DiagnosticDescriptor LegacyValueShape = new("FLY1101", DiagnosticSeverity.Warning, "Legacy value form");
    public static readonly DiagnosticDescriptor EmptyPlaceholder = new("FLY1102", DiagnosticSeverity.Warning, "Empty placeholder");
    public static readonly DiagnosticDescriptor NoEffectOnMachines = new("FLY1103", DiagnosticSeverity.Warning, "No effect on Machines");
    public static readonly DiagnosticDescriptor FileLocalPathNotFound = new("FLY1104", DiagnosticSeverity.Error, "[[files]] local_path not found");
    public static readonly DiagnosticDescriptor AppliesToNoGroup = new("FLY1105", DiagnosticSeverity.Warning, "Section applies to no process group");
    public static readonly DiagnosticDescriptor ConsoleOnly = new("FLY1107", DiagnosticSeverity.Message, "Used by fly console only");
    public static readonly DiagnosticDescriptor BuilderNotUsed = new("FLY1108", DiagnosticSeverity.Warning, "Builder settings not used");
    public static readonly DiagnosticDescriptor CmdOverriddenByProcesses = new("FLY1109", DiagnosticSeverity.Warning, "experimental.cmd overridden by [processes]");
    public static readonly DiagnosticDescriptor MachineConfigNotApplied = new("FLY1110", DiagnosticSeverity.Warning, "machine_config not applied");

    // 1130-1149: keys the schema does not know (an error in strict mode).
    public static readonly DiagnosticDescriptor UnknownKey = new("FLY1130", DiagnosticSeverity.Warning, "Unknown key or section");

    // 1150-1199: cross-checks against the project being deployed.
    public static readonly DiagnosticDescriptor InternalPortMismatch = new("FLY1150", DiagnosticSeverity.Error, "internal_port differs from the app's port");
    public static readonly DiagnosticDescriptor DockerfileExposeMismatch = new("FLY1151", DiagnosticSeverity.Warning, "Dockerfile EXPOSE disagrees");
    public static readonly DiagnosticDescriptor HealthCheckPathNotMapped = new("FLY1152", DiagnosticSeverity.Warning, "Health check path not mapped");
    public static readonly DiagnosticDescriptor ServerGcOnSmallVm = new("FLY1153", DiagnosticSeverity.Warning, "Server GC on a small VM");
    public static readonly DiagnosticDescriptor ContainerPortMismatch = new("FLY1154", DiagnosticSeverity.Warning, "ContainerPort disagrees with fly.toml's ports");
    public static readonly DiagnosticDescriptor ContainerUserWithVolume = new("FLY1155", DiagnosticSeverity.Warning, "ContainerUser is not root but fly.toml mounts a volume");
    public static readonly DiagnosticDescriptor ContainerEnvironmentMismatch = new("FLY1156", DiagnosticSeverity.Warning, "ContainerEnvironmentVariable disagrees with fly.toml [env]");

    // Dependencies (FLY2xxx). 2001-2009: the .NET project graph and the Docker build context.
    public static readonly DiagnosticDescriptor RestoreInputOutsideContext = new("FLY2001", DiagnosticSeverity.Error, "A file dotnet restore needs is outside the Docker build context");
    public static readonly DiagnosticDescriptor RestoreInputNotCopied = new("FLY2002", DiagnosticSeverity.Error, "The Dockerfile does not copy a file dotnet restore needs");
    public static readonly DiagnosticDescriptor RestoreInputCopiedAfterRestore = new("FLY2003", DiagnosticSeverity.Error, "The Dockerfile copies a file dotnet restore needs only after the restore");
    public static readonly DiagnosticDescriptor DockerfileNotFound = new("FLY2004", DiagnosticSeverity.Error, "The Dockerfile named for the app does not exist");
    public static readonly DiagnosticDescriptor OutsideFeedMaybeNeeded = new("FLY2005", DiagnosticSeverity.Warning, "a package feed outside the build context may be needed in the image");

    // 2010-2019: the target framework and the base image.
    public static readonly DiagnosticDescriptor ImageLacksFramework = new("FLY2010", DiagnosticSeverity.Error, "The base image lacks the .NET framework the app needs");
    public static readonly DiagnosticDescriptor ImageLargerThanNeeded = new("FLY2011", DiagnosticSeverity.Warning, "The base image carries more than the app needs");
    public static readonly DiagnosticDescriptor SdkImageAsFinalStage = new("FLY2012", DiagnosticSeverity.Warning, "The final stage runs on the .NET SDK image");
    public static readonly DiagnosticDescriptor ImageVersionMismatch = new("FLY2013", DiagnosticSeverity.Error, "The base image's .NET version differs from the target framework");

    // 2020-2029: native and OS needs.
    public static readonly DiagnosticDescriptor IcuMissing = new("FLY2020", DiagnosticSeverity.Error, "The app needs ICU but the base image has none");
    public static readonly DiagnosticDescriptor SqlClientInvariantGlobalization = new("FLY2021", DiagnosticSeverity.Error, "SqlClient with InvariantGlobalization fails to connect");
    public static readonly DiagnosticDescriptor TimeZoneDataMissing = new("FLY2022", DiagnosticSeverity.Warning, "Time zones are looked up but the base image has no tzdata");
    public static readonly DiagnosticDescriptor SkiaSharpWithoutFontconfig = new("FLY2023", DiagnosticSeverity.Warning, "SkiaSharp without fontconfig in the image");
    public static readonly DiagnosticDescriptor SystemDrawingOnLinux = new("FLY2024", DiagnosticSeverity.Error, "System.Drawing.Common does not work on Linux");
    public static readonly DiagnosticDescriptor RuntimeIdentifierLibcMismatch = new("FLY2025", DiagnosticSeverity.Error, "The RuntimeIdentifier's C library differs from the base image's");

    // 2030-2039: what the app reads and what the platform provides.
    public static readonly DiagnosticDescriptor RequiredVariableMissing = new("FLY2030", DiagnosticSeverity.Error, "A variable the app requires is neither in [env] nor among the app's secrets");
    public static readonly DiagnosticDescriptor RequiredVariableUnverified = new("FLY2031", DiagnosticSeverity.Warning, "A variable the app requires is not in [env] and the secrets could not be read");

    // 2040-2049: databases.
    public static readonly DiagnosticDescriptor DatabaseUrlPassedToNpgsql = new("FLY2040", DiagnosticSeverity.Error, "DATABASE_URL is handed to Npgsql as a connection string");

    // 2050-2069: Python imports against requirements and pyproject.toml.
    public static readonly DiagnosticDescriptor PythonMissingDistribution = new("FLY2050", DiagnosticSeverity.Error, "Python module imported but its distribution is not in requirements");
    public static readonly DiagnosticDescriptor PythonOptionalImportMissing = new("FLY2051", DiagnosticSeverity.Warning, "Optional Python import (try/except ImportError) not in requirements");
    public static readonly DiagnosticDescriptor PythonTestImportMissing = new("FLY2052", DiagnosticSeverity.Warning, "Test code imports a distribution no requirements file lists");
    public static readonly DiagnosticDescriptor PythonUnusedRequirement = new("FLY2053", DiagnosticSeverity.Message, "Requirement that no Python file imports");
    public static readonly DiagnosticDescriptor PythonDatabaseUrlScheme = new("FLY2054", DiagnosticSeverity.Warning, "DATABASE_URL passed to SQLAlchemy/asyncpg without rewriting postgres://");
    public static readonly DiagnosticDescriptor PythonIncludeNotFound = new("FLY2055", DiagnosticSeverity.Warning, "requirements file includes a file that does not exist");
    public static readonly DiagnosticDescriptor PythonPyprojectInvalid = new("FLY2056", DiagnosticSeverity.Error, "pyproject.toml cannot be read");
    public static readonly DiagnosticDescriptor PythonDevOnlyDistribution = new("FLY2057", DiagnosticSeverity.Error, "Python module imported by app code is only in development requirements");

    // 2070-2099: Node imports against package.json.
    public static readonly DiagnosticDescriptor NodeMissingPackage = new("FLY2070", DiagnosticSeverity.Error, "Package imported by production code is not in package.json");
    public static readonly DiagnosticDescriptor NodeDevDependencyOmitted = new("FLY2071", DiagnosticSeverity.Error, "devDependency imported by production code, and the image omits dev dependencies");
    public static readonly DiagnosticDescriptor NodeDevDependencyInProduction = new("FLY2072", DiagnosticSeverity.Warning, "devDependency imported by production code");
    public static readonly DiagnosticDescriptor NodeDevCliAtRuntime = new("FLY2073", DiagnosticSeverity.Error, "Start command runs the CLI of a devDependency");
    public static readonly DiagnosticDescriptor NodePackageJsonInvalid = new("FLY2074", DiagnosticSeverity.Error, "package.json is missing or cannot be read");
    public static readonly DiagnosticDescriptor NodeEntryNotFound = new("FLY2075", DiagnosticSeverity.Message, "Entry point of the start command not found; every source file was checked");

    // Dockerfile and image (FLY3xxx). 3001-3029: the Dockerfile generator and the scripts the image runs.
    public static readonly DiagnosticDescriptor ForeignDockerfile = new("FLY3001", DiagnosticSeverity.Error, "Dockerfile not generated by FlyIo.Sdk; left unchanged");
    public static readonly DiagnosticDescriptor DockerfileOutOfDate = new("FLY3002", DiagnosticSeverity.Error, "committed Dockerfile differs from the generated one");
    public static readonly DiagnosticDescriptor OutsideBuildContext = new("FLY3003", DiagnosticSeverity.Error, "a file the image needs lies outside the build context");
    public static readonly DiagnosticDescriptor NoTargetFramework = new("FLY3004", DiagnosticSeverity.Error, "no .NET target framework to choose the base image version");
    public static readonly DiagnosticDescriptor RootForVolume = new("FLY3005", DiagnosticSeverity.Message, "the image runs as root because fly.toml mounts a volume");
    public static readonly DiagnosticDescriptor ScriptCrlf = new("FLY3010", DiagnosticSeverity.Warning, "shell script with CRLF line endings");
    public static readonly DiagnosticDescriptor ScriptMissing = new("FLY3011", DiagnosticSeverity.Error, "entrypoint or image script not found");
    public static readonly DiagnosticDescriptor UserScriptLineEndings = new("FLY3012", DiagnosticSeverity.Error, "a script your Dockerfile runs has CRLF line endings or a BOM");
    public static readonly DiagnosticDescriptor DockerfileWriteFailed = new("FLY3013", DiagnosticSeverity.Error, "the generated Dockerfile could not be written");

    // 3030-3049: the image build and push.
    public static readonly DiagnosticDescriptor UnknownBuilder = new("FLY3030", DiagnosticSeverity.Error, "unknown image builder");
    public static readonly DiagnosticDescriptor BuilderUnavailable = new("FLY3031", DiagnosticSeverity.Error, "the requested image builder is not available");
    public static readonly DiagnosticDescriptor ImageBuildFailed = new("FLY3032", DiagnosticSeverity.Error, "the image build failed");
    public static readonly DiagnosticDescriptor ImagePushFailed = new("FLY3033", DiagnosticSeverity.Error, "the image push failed");
    public static readonly DiagnosticDescriptor ImageBuildCancelled = new("FLY3034", DiagnosticSeverity.Error, "the image build was cancelled");
    public static readonly DiagnosticDescriptor NoPushToken = new("FLY3035", DiagnosticSeverity.Error, "no Fly token to push the image with");
    public static readonly DiagnosticDescriptor RegistryMirrorInvalid = new("FLY3036", DiagnosticSeverity.Error, "a FlyRegistryMirror entry is not registry=mirror");
    public static readonly DiagnosticDescriptor RegistryMirrorIgnored = new("FLY3037", DiagnosticSeverity.Warning, "the image builder does not use FlyRegistryMirror");
    public static readonly DiagnosticDescriptor NoDockerfileToBuild = new("FLY3038", DiagnosticSeverity.Error, "there is no Dockerfile to build");
    public static readonly DiagnosticDescriptor BuildArgInvalid = new("FLY3039", DiagnosticSeverity.Error, "a build arg cannot be passed to the image builder");
    public static readonly DiagnosticDescriptor BuildSettingNotHonoured = new("FLY3040", DiagnosticSeverity.Error, "the image builder cannot honour a build setting");
    public static readonly DiagnosticDescriptor BuildSettingOverridden = new("FLY3041", DiagnosticSeverity.Warning, "an MSBuild property overrides a fly.toml [build] key");
    public static readonly DiagnosticDescriptor ContainerRepositoryNotApp = new("FLY3042", DiagnosticSeverity.Error, "ContainerRepository is not the app's repository on Fly's registry");
    public static readonly DiagnosticDescriptor ContainerTagsInvalid = new("FLY3043", DiagnosticSeverity.Error, "ContainerImageTag or ContainerImageTags cannot name the pushed image");
    public static readonly DiagnosticDescriptor OuterBuildNotInDockerfile = new("FLY3044", DiagnosticSeverity.Warning, "the Dockerfile does not take the command line's configuration or properties");

    // Release command and fly.toml editing (FLY4xxx).
    public static readonly DiagnosticDescriptor ReleaseCommandShellSplit = new("FLY4001", DiagnosticSeverity.Error, "The release command does not split like a shell line");
    public static readonly DiagnosticDescriptor ReleaseCommandRepeatsEntrypoint = new("FLY4002", DiagnosticSeverity.Error, "The release command repeats the image's ENTRYPOINT");
    public static readonly DiagnosticDescriptor ShellFormEntrypoint = new("FLY4003", DiagnosticSeverity.Error, "A shell-form ENTRYPOINT ignores the release command");
    public static readonly DiagnosticDescriptor ReleaseCommandTimeoutInvalid = new("FLY4004", DiagnosticSeverity.Error, "FlyReleaseCommandTimeout is not a duration");
    public static readonly DiagnosticDescriptor PrismaNotInDependencies = new("FLY4005", DiagnosticSeverity.Error, "Prisma is not a production dependency");
    public static readonly DiagnosticDescriptor MigrationsModeInvalid = new("FLY4006", DiagnosticSeverity.Error, "FlyMigrationsMode cannot be used as asked");
    public static readonly DiagnosticDescriptor ReleaseCommandDetected = new("FLY4007", DiagnosticSeverity.Message, "A release command was chosen from the project");
    public static readonly DiagnosticDescriptor DbContextWithoutMigrations = new("FLY4008", DiagnosticSeverity.Warning, "A DbContext without migrations");
    public static readonly DiagnosticDescriptor ReleaseCommandDiffers = new("FLY4009", DiagnosticSeverity.Message, "fly.toml has a different release command");
    public static readonly DiagnosticDescriptor ReleaseCommandEmpty = new("FLY4010", DiagnosticSeverity.Error, "The release command is empty");
    public static readonly DiagnosticDescriptor ReleaseCommandAmbiguous = new("FLY4011", DiagnosticSeverity.Warning, "Several migration tools found");
    public static readonly DiagnosticDescriptor ReleaseCommandPassedToEntrypoint = new("FLY4012", DiagnosticSeverity.Message, "What the release machine will run");
    public static readonly DiagnosticDescriptor FlyTomlEditFailed = new("FLY4020", DiagnosticSeverity.Error, "fly.toml could not be edited");

    // Deploy (FLY5xxx). 5001-5019: the Machines API and the deploy engine.
    public static readonly DiagnosticDescriptor MachinesApiFailed = new("FLY5001", DiagnosticSeverity.Warning, "a Machines API call failed");
    public static readonly DiagnosticDescriptor MachineUnhealthy = new("FLY5002", DiagnosticSeverity.Error, "a machine did not become healthy");
    public static readonly DiagnosticDescriptor ReleaseCommandFailed = new("FLY5003", DiagnosticSeverity.Error, "the release command failed");
    public static readonly DiagnosticDescriptor ReleaseCommandTimedOut = new("FLY5004", DiagnosticSeverity.Error, "the release command timed out");
    public static readonly DiagnosticDescriptor LeaseHeld = new("FLY5005", DiagnosticSeverity.Error, "a machine is leased by someone else");
    public static readonly DiagnosticDescriptor RollbackIncomplete = new("FLY5006", DiagnosticSeverity.Error, "the automatic rollback is incomplete");
    public static readonly DiagnosticDescriptor DeployCancelled = new("FLY5007", DiagnosticSeverity.Warning, "the deploy was cancelled");
    public static readonly DiagnosticDescriptor DeploySettingsInvalid = new("FLY5008", DiagnosticSeverity.Error, "the deploy cannot run with these settings");
    public static readonly DiagnosticDescriptor MachineWrongVersion = new("FLY5009", DiagnosticSeverity.Error, "a machine runs another version than the one deployed");
    public static readonly DiagnosticDescriptor NoPreviousRelease = new("FLY5010", DiagnosticSeverity.Error, "no previous release to roll back to");
    public static readonly DiagnosticDescriptor DeployApiFailed = new("FLY5011", DiagnosticSeverity.Error, "a Machines API call failed during a deploy");
    public static readonly DiagnosticDescriptor ReleaseCommandDidNotRun = new("FLY5012", DiagnosticSeverity.Error, "the release command never ran to an exit");
    public static readonly DiagnosticDescriptor ChecksNotReported = new("FLY5013", DiagnosticSeverity.Error, "a machine's health checks never reported");
    public static readonly DiagnosticDescriptor VolumeNotReady = new("FLY5014", DiagnosticSeverity.Error, "a volume fly.toml mounts cannot be created or kept");
    public static readonly DiagnosticDescriptor MachineCheckFailed = new("FLY5015", DiagnosticSeverity.Error, "a machine check failed against a deployed machine");
    public static readonly DiagnosticDescriptor AppNameTaken = new("FLY5016", DiagnosticSeverity.Error, "the app name is taken on Fly");

    // 5020-5029: the deploy targets' own checks, before anything is built or deployed.
    public static readonly DiagnosticDescriptor NoToken = new("FLY5020", DiagnosticSeverity.Error, "no Fly token in the environment");
    public static readonly DiagnosticDescriptor TokenAsProperty = new("FLY5021", DiagnosticSeverity.Error, "the Fly token was given as an MSBuild property");
    public static readonly DiagnosticDescriptor SecretWithoutValue = new("FLY5022", DiagnosticSeverity.Error, "a FlySecret has no value");
    public static readonly DiagnosticDescriptor SecretsFileInvalid = new("FLY5023", DiagnosticSeverity.Error, "the secrets file cannot be read");
    public static readonly DiagnosticDescriptor DeployPropertyInvalid = new("FLY5024", DiagnosticSeverity.Error, "a deploy property has a value it cannot take");
    public static readonly DiagnosticDescriptor NoImageToDeploy = new("FLY5025", DiagnosticSeverity.Error, "no image to deploy");
    public static readonly DiagnosticDescriptor TokenMalformed = new("FLY5026", DiagnosticSeverity.Error, "the Fly token has a control character in it");
    public static readonly DiagnosticDescriptor TokenDestinationRefused = new("FLY5027", DiagnosticSeverity.Error, "the Fly token would go to a host that is not Fly's");

    // 5030-5034: Fly's releases (api.fly.io), which every deploy, secrets apply and rollback records.
    public static readonly DiagnosticDescriptor ReleaseNotRecorded = new("FLY5030", DiagnosticSeverity.Error, "Fly did not record the release, so nothing was deployed");
    public static readonly DiagnosticDescriptor ReleaseStatusNotRecorded = new("FLY5031", DiagnosticSeverity.Error, "Fly did not record the release's final status");
    public static readonly DiagnosticDescriptor ReleasesNotRead = new("FLY5032", DiagnosticSeverity.Error, "the app's releases could not be read");
    // 5035-5044: FlyScale and FlyRestart.
    public static readonly DiagnosticDescriptor ProcessGroupUnclear = new("FLY5035", DiagnosticSeverity.Error, "the process group to scale or restart is not clear");
    public static readonly DiagnosticDescriptor VmSizeInvalid = new("FLY5036", DiagnosticSeverity.Error, "FlyVmSize or FlyVmMemory is not a VM Fly offers");
    public static readonly DiagnosticDescriptor ScaleIncomplete = new("FLY5037", DiagnosticSeverity.Error, "a machine the scale added or resized did not become healthy");
    public static readonly DiagnosticDescriptor VmPinnedByFlyToml = new("FLY5038", DiagnosticSeverity.Warning, "fly.toml's [[vm]] undoes this VM change on the next deploy");
    public static readonly DiagnosticDescriptor RestartFailed = new("FLY5039", DiagnosticSeverity.Error, "a restarted machine did not come back healthy");

    // The SDK's own configuration (FLY9xxx).
    public static readonly DiagnosticDescriptor TaskAssemblyNotFound = new("FLY9001", DiagnosticSeverity.Error, "the task assembly was not found");
    public static readonly DiagnosticDescriptor NothingToDeployInSolution = new("FLY9002", DiagnosticSeverity.Error, "no project of the solution imports FlyIo.Sdk");

    /// <summary>Every row, in code order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = new[]
    {
        TomlInvalidEncoding, TomlSyntax, TomlInvalidString, TomlInvalidNumber, TomlInvalidDateTime, TomlDuplicateKey,
        TomlTableConflict, TomlNestingTooDeep, TomlNotAFile, TomlFileTooLarge, FlyTomlNotFound, MissingAppName, FlyTomlExists, LaunchNotPossible,
        WrongType, InvalidDuration, NanosecondTimeout, InvalidMemorySize, InvalidVolumeSize, ValueNotAllowed,
        OutOfRange, StrategyRefusedWithMounts, BlueGreenWithoutChecks, TopLevelCheckType, TopLevelCheckInterval,
        TopLevelCheckTimeout, TopLevelCheckPort, ServiceCheckDuration, ServiceWithoutProcesses, UnknownProcessGroup,
        MultipleMountsPerGroup, MountTooSmall, AutoExtendIncomplete, MaxUnavailableIgnored, MultipleBuildSources,
        ServiceWithoutPorts, ShellSplit, FileSourceCount, InvalidAppName, LegacyKey, LegacyValueShape,
        EmptyPlaceholder, NoEffectOnMachines, FileLocalPathNotFound, AppliesToNoGroup, ConsoleOnly,
        BuilderNotUsed, CmdOverriddenByProcesses, MachineConfigNotApplied, UnknownKey, InternalPortMismatch, DockerfileExposeMismatch,
        HealthCheckPathNotMapped, ServerGcOnSmallVm, ContainerPortMismatch, ContainerUserWithVolume, ContainerEnvironmentMismatch, RestoreInputOutsideContext, RestoreInputNotCopied,
        RestoreInputCopiedAfterRestore, DockerfileNotFound, OutsideFeedMaybeNeeded, ImageLacksFramework,
        ImageLargerThanNeeded, SdkImageAsFinalStage, ImageVersionMismatch, IcuMissing,
        SqlClientInvariantGlobalization, TimeZoneDataMissing, SkiaSharpWithoutFontconfig, SystemDrawingOnLinux,
        RuntimeIdentifierLibcMismatch, RequiredVariableMissing, RequiredVariableUnverified, DatabaseUrlPassedToNpgsql,
        PythonMissingDistribution, PythonOptionalImportMissing, PythonTestImportMissing, PythonUnusedRequirement,
        PythonDatabaseUrlScheme, PythonIncludeNotFound, PythonPyprojectInvalid, PythonDevOnlyDistribution,
        NodeMissingPackage, NodeDevDependencyOmitted, NodeDevDependencyInProduction, NodeDevCliAtRuntime,
        NodePackageJsonInvalid, NodeEntryNotFound, ForeignDockerfile, DockerfileOutOfDate, OutsideBuildContext,
        NoTargetFramework, RootForVolume, ScriptCrlf, ScriptMissing, UserScriptLineEndings, DockerfileWriteFailed,
        UnknownBuilder, BuilderUnavailable, ImageBuildFailed, ImagePushFailed, ImageBuildCancelled, NoPushToken,
        RegistryMirrorInvalid, RegistryMirrorIgnored, NoDockerfileToBuild, BuildArgInvalid, BuildSettingNotHonoured, BuildSettingOverridden, ContainerRepositoryNotApp, ContainerTagsInvalid, OuterBuildNotInDockerfile, ReleaseCommandShellSplit,
        ReleaseCommandRepeatsEntrypoint, ShellFormEntrypoint, ReleaseCommandTimeoutInvalid, PrismaNotInDependencies,
        MigrationsModeInvalid, ReleaseCommandDetected, DbContextWithoutMigrations, ReleaseCommandDiffers,
        ReleaseCommandEmpty, ReleaseCommandAmbiguous, ReleaseCommandPassedToEntrypoint, FlyTomlEditFailed,
        MachinesApiFailed, MachineUnhealthy, ReleaseCommandFailed, ReleaseCommandTimedOut, LeaseHeld,
        RollbackIncomplete, DeployCancelled, DeploySettingsInvalid, MachineWrongVersion, NoPreviousRelease,
        DeployApiFailed, ReleaseCommandDidNotRun, ChecksNotReported, VolumeNotReady, MachineCheckFailed, AppNameTaken, NoToken, TokenAsProperty, SecretWithoutValue,
        SecretsFileInvalid, DeployPropertyInvalid, NoImageToDeploy, TokenMalformed, TokenDestinationRefused,
        ReleaseNotRecorded, ReleaseStatusNotRecorded, ReleasesNotRead,
        ProcessGroupUnclear, VmSizeInvalid, ScaleIncomplete, VmPinnedByFlyToml, RestartFailed,
        TaskAssemblyNotFound, NothingToDeployInSolution,
    };
}
