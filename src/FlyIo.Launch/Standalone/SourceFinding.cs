namespace FlyIo.Launch.Standalone;

/// <summary>Something read from an app file, with the place it was read: the reason FlyLaunch shows for a fact.</summary>
internal sealed record SourceFinding(string File, int Line, int Column, string Text)
{
    /// <summary><c>file(line,col): text</c>, the form compilers use, so editors can jump to it.</summary>
    public string Reason => $"{File}({Line},{Column}): {Text}";
}

/// <summary>A port and what decided it.</summary>
internal sealed record PortFinding(int Port, string Reason);

/// <summary>A route the app maps that looks like a health check, with how good a health name it is (lower is better).</summary>
internal sealed record HealthRouteFinding(string Path, int Rank, SourceFinding Where);
