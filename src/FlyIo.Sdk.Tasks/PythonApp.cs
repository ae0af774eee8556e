using System.IO;
using System.Linq;

namespace FlyIo.Sdk.Tasks;

/// <summary>Whether a standalone folder holds a Python app: a requirements file or a pyproject.toml.</summary>
internal static class PythonApp
{
    public static bool IsPresent(string directory) =>
        File.Exists(Path.Combine(directory, "pyproject.toml")) ||
        Directory.EnumerateFiles(directory, "requirements*.txt").Any();
}
