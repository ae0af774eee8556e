using System;
using FlyIo.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;

namespace FlyIo.Toml;

/// <summary>
/// Reads a TOML file (fly.toml) as a file and nothing else: a directory, a FIFO or a device is refused before it is
/// opened (reading a FIFO would wait for a writer forever), a file it may not read and one over
/// <see cref="MaxBytes"/> are refused too, each as a <see cref="TomlParseException"/> with its code, so every reader
/// reports it the way it reports a syntax error: located, coded, no stack trace.
/// </summary>
public static class TomlFiles
{
    /// <summary>The largest fly.toml read: 1 MiB (real ones are a few KB; Fly documents no limit).</summary>
    public const long MaxBytes = 1024 * 1024;

    public static byte[] ReadBytes(string path)
    {
        if (Directory.Exists(path))
        {
            throw new TomlParseException(FlyCodes.TomlNotAFile, $"'{path}' is a directory, not a file", 0, 0);
        }

        if (!File.Exists(path))
        {
            throw new TomlParseException(FlyCodes.TomlNotAFile, $"'{path}' does not exist", 0, 0);
        }

        if (SpecialFile(path) is { } kind)
        {
            throw new TomlParseException(FlyCodes.TomlNotAFile, $"'{path}' is a {kind}, not a regular file; it was not read", 0, 0);
        }

        var length = new FileInfo(path).Length;
        if (length > MaxBytes)
        {
            throw new TomlParseException(FlyCodes.TomlFileTooLarge, $"'{path}' has {length} bytes, more than the {MaxBytes} a fly.toml may have", 0, 0);
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new TomlParseException(FlyCodes.TomlNotAFile, $"'{path}' cannot be read: {e.Message}", 0, 0);
        }
    }

    /// <summary>"FIFO", "socket", "device", or null for a regular file (Unix only; elsewhere null).</summary>
    private static string? SpecialFile(string path)
    {
#if NET
        if (OperatingSystem.IsWindows() || !UnixFiles.TryStat(path, out var status))
        {
            return null;
        }

        return (status.Mode & UnixFiles.FileTypeMask) switch
        {
            UnixFiles.FileTypeFifo => "FIFO (named pipe)",
            UnixFiles.FileTypeSocket => "socket",
            UnixFiles.FileTypeCharacter or UnixFiles.FileTypeBlock => "device",
            _ => null,
        };
#else
        return null;
#endif
    }

}
