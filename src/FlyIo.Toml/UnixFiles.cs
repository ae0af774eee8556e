#if NET
using System.Runtime.InteropServices;

namespace FlyIo.Toml;

/// <summary>What .NET does not say about a Unix file: its type (FIFO, device) and its owner; and setting the owner.</summary>
internal static class UnixFiles
{
    public const int FileTypeMask = 0xF000, FileTypeFifo = 0x1000, FileTypeCharacter = 0x2000, FileTypeBlock = 0x6000, FileTypeSocket = 0xC000;

    /// <summary>The runtime's own stat (System.Native), whose FileStatus layout is the runtime's, not the C library's.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FileStatus
    {
        public int Flags;
        public int Mode;
        public uint Uid;
        public uint Gid;
        public long Size;
        public long ATime, ATimeNsec, MTime, MTimeNsec, CTime, CTimeNsec, BirthTime, BirthTimeNsec;
        public long Dev, RDev, Ino;
        public uint UserFlags;
    }

    public static bool TryStat(string path, out FileStatus status) => Stat(path, out status) == 0;

    /// <summary>Gives <paramref name="path"/> the owner and group; false when not allowed (only root may give files away).</summary>
    public static bool TryChown(string path, uint uid, uint gid) => Chown(path, uid, gid) == 0;

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Stat(string path, out FileStatus status);

    [DllImport("libc", EntryPoint = "chown", SetLastError = true, CharSet = CharSet.Ansi)]
    private static extern int Chown(string path, uint owner, uint group);
}
#endif
