using System;
using System.IO;

namespace FlyIo.Toml.Editing;

/// <summary>
/// Replaces a file's content all at once (temporary file in the same folder, then rename), and only when it changes.
/// What the file is stays: a symbolic link is followed and its target rewritten (the link stays a link), the file's
/// permission bits carry over, and a read-only file is refused (<see cref="UnauthorizedAccessException"/>) rather
/// than replaced behind the user's back.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> unless the file already holds exactly them; returns whether it wrote.</summary>
    public static bool WriteIfChanged(string path, byte[] bytes)
    {
        if (path is null)
        {
            throw new ArgumentNullException(nameof(path));
        }

        if (bytes is null)
        {
            throw new ArgumentNullException(nameof(bytes));
        }

        var full = FinalTarget(Path.GetFullPath(path));
        if (Directory.Exists(full))
        {
            throw new IOException($"{path} is a directory, not a file.");
        }

        if (Holds(full, bytes))
        {
            return false;
        }

        if (File.Exists(full) && IsReadOnly(full))
        {
            throw new UnauthorizedAccessException($"{path} is read-only; it was left unchanged. Make it writable (chmod u+w) to let it be edited.");
        }

        var folder = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush(true);
            }

            KeepMode(full, temp);

            if (File.Exists(full))
            {
                File.Replace(temp, full, null);
            }
            else
            {
                File.Move(temp, full);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        return true;
    }

    /// <summary>The file a chain of symbolic links ends at (the path itself when it is no link).</summary>
    private static string FinalTarget(string path)
    {
#if NET
        var info = new FileInfo(path);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            return target.FullName;
        }
#endif
        return path;
    }

    private static bool IsReadOnly(string path)
    {
#if NET
        if (!OperatingSystem.IsWindows())
        {
            const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
            return (File.GetUnixFileMode(path) & anyWrite) == 0;
        }
#endif
        return (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
    }

    /// <summary>The new file gets the old one's permission bits and, where allowed (as root), its owner and group.</summary>
    private static void KeepMode(string original, string temp)
    {
#if NET
        if (!OperatingSystem.IsWindows() && File.Exists(original))
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(original));
            if (UnixFiles.TryStat(original, out var before) && UnixFiles.TryStat(temp, out var after) && (before.Uid != after.Uid || before.Gid != after.Gid))
            {
                UnixFiles.TryChown(temp, before.Uid, before.Gid);
            }
        }
#endif
    }

    /// <summary>Whether <paramref name="path"/> is a file holding exactly <paramref name="bytes"/>: then there is nothing to write.</summary>
    public static bool Holds(string path, byte[] bytes)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        var a = File.ReadAllBytes(path);
        if (a.Length != bytes.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != bytes[i])
            {
                return false;
            }
        }

        return true;
    }
}
