using System.IO;
using System.Linq;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Whether a standalone folder holds a Python app: a requirements file, a pyproject.toml, or (in a folder that is not
/// a Node app) a Python file at the top, as an app whose Dockerfile installs its libraries with apt has.
/// </summary>
internal static class PythonApp
{
    public static bool IsPresent(string directory) =>
        File.Exists(Path.Combine(directory, "pyproject.toml")) ||
        Directory.EnumerateFiles(directory, "requirements*.txt").Any() ||
        (!File.Exists(Path.Combine(directory, "package.json")) && Directory.EnumerateFiles(directory, "*.py").Any());
}
