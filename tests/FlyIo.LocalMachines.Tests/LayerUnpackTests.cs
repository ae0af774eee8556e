using System;
using System.Formats.Tar;
using System.IO;
using System.IO.Compression;
using FlyIo.LocalMachines;
using NUnit.Framework;

namespace FlyIo.LocalMachines.Tests;

/// <summary>Layer unpacking as an image's layers stack up: a later layer's directory entry keeps what is inside it.</summary>
[TestFixture]
public sealed class LayerUnpackTests
{
    [Test]
    public void ADirectoryEntry_InALaterLayer_KeepsAFileNamedLikeIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Ignore("Layers are unpacked with Unix file modes and links (Linux only).");
            return;
        }

        var work = Path.Combine(Path.GetTempPath(), "flyio-layers-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        var root = Path.Combine(work, "rootfs");
        Directory.CreateDirectory(root);
        try
        {
            // The .NET images: usr/share/dotnet/dotnet is the host, and the aspnet layer lists usr/share/dotnet/ again.
            var lower = Layer(work, "lower.tar.gz", w =>
            {
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "usr/share/dotnet/"));
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "usr/share/dotnet/dotnet") { DataStream = new MemoryStream(new byte[] { 0x7f, 0x45 }), Mode = (UnixFileMode)0b111_101_101 });
            });
            var upper = Layer(work, "upper.tar.gz", w =>
            {
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "usr/share/dotnet/"));
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "usr/share/dotnet/shared/"));
            });

            OciPuller.Unpack(lower, root);
            OciPuller.Unpack(upper, root);

            Assert.That(File.Exists(Path.Combine(root, "usr/share/dotnet/dotnet")), Is.True, "the host binary survives");
            Assert.That(Directory.Exists(Path.Combine(root, "usr/share/dotnet/shared")), Is.True);
            Assert.That(Directory.Exists(Path.Combine(root, "usr/usr")), Is.False, "no phantom directory per directory entry");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Layer(string directory, string name, Action<TarWriter> write)
    {
        var path = Path.Combine(directory, name);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            write(tar);
        }

        return path;
    }
}
