using System;
using System.Collections.Generic;
using System.IO;
using System.Xml;
using System.Xml.Linq;

namespace FlyIo.AppModel.Project;

/// <summary>A NuGet.config's package sources, with where each is written (one reader for the feed checks and the restore inputs).</summary>
public static class NuGetConfigSources
{
    /// <summary>One source: its key, its value as written, the folder it names (null for a remote http(s) source), and its line.</summary>
    public sealed record Source(string Key, string Value, string? Folder, int Line, int Column);

    /// <summary>The sources of <paramref name="config"/>; none for a malformed file (NuGet reports that itself, at restore).</summary>
    public static List<Source> Read(string config)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(config, LoadOptions.SetLineInfo);
        }
        catch (XmlException)
        {
            return new List<Source>();
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(config)) ?? ".";
        var sources = new List<Source>();
        foreach (var add in document.Descendants("packageSources").Elements("add"))
        {
            var value = (string?)add.Attribute("value");
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            var info = (IXmlLineInfo)add;
            var remote = value!.Contains("://");
            sources.Add(new Source((string?)add.Attribute("key") ?? value, value, remote ? null : Path.GetFullPath(Path.Combine(directory, value)), info.LineNumber, info.LinePosition));
        }

        return sources;
    }
}
