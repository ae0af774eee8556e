namespace FlyIo.Release;

/// <summary>FLY40xx: the release command and fly.toml editing. Each code has a page in docs/diagnostics/.</summary>
public static class ReleaseCodes
{
    /// <summary>The release command does not split like a shell line (flyctl rejects it).</summary>
    public const string ShellSplit = "FLY4001";

    /// <summary>The release command repeats the image's ENTRYPOINT; Fly appends it to the ENTRYPOINT.</summary>
    public const string RepeatsEntrypoint = "FLY4002";

    /// <summary>A shell-form ENTRYPOINT ignores CMD, so the release command would never run.</summary>
    public const string ShellFormEntrypoint = "FLY4003";

    /// <summary>FlyReleaseCommandTimeout is not a duration.</summary>
    public const string BadTimeout = "FLY4004";

    /// <summary>Prisma migrations, but prisma is not in package.json dependencies (images omit devDependencies).</summary>
    public const string PrismaNotInDependencies = "FLY4005";

    /// <summary>FlyMigrationsMode is not host or bundle, or bundle is asked without Microsoft.EntityFrameworkCore.Design.</summary>
    public const string MigrationsMode = "FLY4006";

    /// <summary>A release command was chosen from what the project contains (information).</summary>
    public const string Detected = "FLY4007";

    /// <summary>A DbContext without migrations: nothing creates the schema on Fly.</summary>
    public const string DbContextWithoutMigrations = "FLY4008";

    /// <summary>fly.toml already has a different release_command: the property wins, or detection keeps it.</summary>
    public const string FlyTomlDiffers = "FLY4009";

    /// <summary>The release command is empty once split (only blanks or a comment).</summary>
    public const string Empty = "FLY4010";

    /// <summary>More than one migration tool found: none is chosen.</summary>
    public const string Ambiguous = "FLY4011";

    /// <summary>The release command is passed to an ENTRYPOINT that is not the app (information: what will run).</summary>
    public const string PassedToEntrypoint = "FLY4012";

    /// <summary>fly.toml could not be edited.</summary>
    public const string EditFailed = "FLY4020";
}
