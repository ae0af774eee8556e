using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace FlyIo.AppModel.Project;

/// <summary>
/// Package sources that are folders inside the build context (a vendored feed beside the code): a restore inside the
/// image needs their packages as much as it needs NuGet.config itself, so they count as restore inputs. A folder
/// outside the context (a machine-wide offline feed, say) is left out: whether the image's restore needs it, or finds
/// the same packages on another source, cannot be known here, and a guess would be a false alarm.
/// </summary>
public static class LocalFeeds
{
    public static IEnumerable<string> PackagesIn(IEnumerable<string> restoreInputs, string contextRoot)
    {
        var root = Path.GetFullPath(contextRoot).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        foreach (var config in restoreInputs.Where(p => string.Equals(Path.GetFileName(p), "nuget.config", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var folder in NuGetConfigSources.Read(config).Where(s => s.Folder is not null).Select(s => s.Folder!).Where(f => Directory.Exists(f) && (f + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal)))
            {
                foreach (var package in Directory.EnumerateFiles(folder, "*.nupkg", SearchOption.AllDirectories))
                {
                    yield return Path.GetFullPath(package);
                }
            }
        }
    }
}
