using System.IO;

namespace FlyIo.Images;

/// <summary>Line-ending checks for shell scripts an image runs.</summary>
public static class ShellScripts
{
    /// <summary>The 1-based line of the first CRLF (or lone CR) line ending in <paramref name="path"/>; 0 when there is none.</summary>
    public static int FirstCrlfLine(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var line = 1;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\r')
            {
                return line;
            }

            if (bytes[i] == (byte)'\n')
            {
                line++;
            }
        }

        return 0;
    }
}
