using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using System.Xml.Linq;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Package sources that are folders (a vendored feed beside the code): a restore inside the image needs their
/// packages as much as it needs NuGet.config itself, so they count as restore inputs.
/// </summary>
internal static class LocalFeeds
{
    public static IEnumerable<string> PackagesIn(IEnumerable<string> restoreInputs)
    {
        foreach (var config in restoreInputs.Where(p => string.Equals(Path.GetFileName(p), "nuget.config", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var folder in FolderSources(config).Where(Directory.Exists))
            {
                foreach (var package in Directory.EnumerateFiles(folder, "*.nupkg", SearchOption.AllDirectories))
                {
                    yield return Path.GetFullPath(package);
                }
            }
        }
    }

    private static IEnumerable<string> FolderSources(string config)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(config);
        }
        catch (XmlException)
        {
            // NuGet reports a malformed NuGet.config itself, at restore.
            yield break;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(config)) ?? ".";
        foreach (var add in document.Descendants("packageSources").Elements("add"))
        {
            var value = (string?)add.Attribute("value");
            if (string.IsNullOrWhiteSpace(value) || value!.Contains("://"))
            {
                continue;
            }

            yield return Path.GetFullPath(Path.Combine(directory, value));
        }
    }
}
