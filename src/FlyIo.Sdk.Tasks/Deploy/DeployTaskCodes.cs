namespace FlyIo.Sdk.Tasks;

/// <summary>Codes of the deploy targets' own checks, before the engine runs (docs/diagnostics/FLYnnnn.md).</summary>
internal static class DeployTaskCodes
{
    /// <summary>No Fly token in the environment.</summary>
    public const string NoToken = "FLY5020";

    /// <summary>A token was given as an MSBuild property, where logs and command lines would keep it.</summary>
    public const string TokenAsProperty = "FLY5021";

    /// <summary>A FlySecret item has no usable value (its variable is unset, or it names neither Value nor FromEnvironment).</summary>
    public const string SecretWithoutValue = "FLY5022";

    /// <summary>FlySecretsFile is missing or has a line that is not NAME=value.</summary>
    public const string SecretsFileInvalid = "FLY5023";

    /// <summary>A deploy property (FlyMachineCount, FlyRollbackOnFailure, FlySmokeCheckWindow...) has a value it cannot take.</summary>
    public const string InvalidProperty = "FLY5024";

    /// <summary>Nothing to deploy: the image step is skipped and FlyImage is empty.</summary>
    public const string NoImage = "FLY5025";

    /// <summary>The Fly token holds a control character (a line break): refused before any request.</summary>
    public const string TokenMalformed = "FLY5026";

    /// <summary>The token would go to a host that is neither Fly's (over https) nor this machine, and FlyAllowTokenTo does not name it.</summary>
    public const string TokenDestination = "FLY5027";

    /// <summary>The hosts FlyAllowTokenTo names.</summary>
    public static string[] AllowedHosts(string? property) =>
        (property ?? "").Split(new[] { ';', ',', ' ' }, System.StringSplitOptions.RemoveEmptyEntries);
}
