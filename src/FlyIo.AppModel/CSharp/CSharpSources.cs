using System;
using System.Collections.Generic;
using System.Linq;

namespace FlyIo.AppModel.CSharp;

/// <summary>
/// The app's C# sources, each file read and lexed once. Validation (routes), the dependency check (configuration
/// reads, native needs), Dockerfile generation (time-zone lookups) and release planning (EF Core) all interpret
/// these same tokens.
/// </summary>
public sealed class CSharpSources
{
    public CSharpSources(IEnumerable<CSharpSourceFile> files)
    {
        Files = files.ToArray();
    }

    public static CSharpSources Empty { get; } = new(Array.Empty<CSharpSourceFile>());

    public IReadOnlyList<CSharpSourceFile> Files { get; }

    /// <summary>Reads and lexes every file, in parallel when there are many, in the given order; unreadable files are left out.</summary>
    public static CSharpSources Read(IEnumerable<string> paths)
    {
        var list = paths.ToList();
        var files = list.Count >= 64 ? list.AsParallel().AsOrdered().Select(CSharpSourceFile.TryRead) : list.Select(CSharpSourceFile.TryRead);
        return new CSharpSources(files.OfType<CSharpSourceFile>());
    }
}
