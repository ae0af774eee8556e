using System;
using System.IO;
using FlyIo.AppModel.Docker;

namespace FlyIo.Launch.Tests.Standalone;

/// <summary>A real app folder under the temp directory, written file by file, deleted by <see cref="Dispose"/>.</summary>
internal sealed class TempAppFolder : IDisposable
{
    public TempAppFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "flylaunch-" + Guid.NewGuid().ToString("N"));

    public TempAppFolder Write(string relative, string text)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text.Replace("\r\n", "\n"));
        return this;
    }

    /// <summary>The folder's Dockerfile, read with the project's reader as FlyLaunch reads it; null when there is none.</summary>
    public Dockerfile? Dockerfile
    {
        get
        {
            var file = System.IO.Path.Combine(Path, "Dockerfile");
            return File.Exists(file) ? Dockerfile.Load(file) : null;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
