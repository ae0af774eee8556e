namespace FlyIo.LocalMachines;

/// <summary>
/// The image's USER (<c>name</c>, <c>uid</c>, <c>name:group</c> or <c>uid:gid</c>) resolved against the root file
/// system's /etc/passwd and /etc/group, as a container runtime does: a name that is not there fails the launch.
/// </summary>
public sealed record ImageUser(int Uid, int Gid, string? Home)
{
    public static ImageUser Root { get; } = new(0, 0, "/root");

    public static ImageUser Resolve(string user, string rootfs)
    {
        if (string.IsNullOrWhiteSpace(user)) return Root;
        var colon = user.IndexOf(':');
        var userPart = colon < 0 ? user : user[..colon];
        var groupPart = colon < 0 ? null : user[(colon + 1)..];
        var passwd = Entries(Path.Combine(rootfs, "etc", "passwd"));
        string[]? account = int.TryParse(userPart, out var numeric)
            ? passwd.FirstOrDefault(p => p.Length > 2 && p[2] == userPart)
            : passwd.FirstOrDefault(p => p[0] == userPart);
        if (account is null && !int.TryParse(userPart, out _))
            throw new LaunchFailedException($"unable to find user {userPart}: no matching entries in passwd file");
        var uid = account is not null && int.TryParse(account[2], out var u) ? u : numeric;
        var gid = account is not null && account.Length > 3 && int.TryParse(account[3], out var g) ? g : uid;
        if (groupPart is { Length: > 0 })
        {
            if (int.TryParse(groupPart, out var gNumeric)) gid = gNumeric;
            else
            {
                var group = Entries(Path.Combine(rootfs, "etc", "group")).FirstOrDefault(e => e[0] == groupPart)
                    ?? throw new LaunchFailedException($"unable to find group {groupPart}: no matching entries in group file");
                gid = int.Parse(group[2], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return new ImageUser(uid, gid, account is not null && account.Length > 5 ? account[5] : "/");
    }

    private static List<string[]> Entries(string path)
    {
        // /etc/passwd may be a symbolic link in the image; read it only when it is a plain file inside the root.
        if (!File.Exists(path) || new FileInfo(path).LinkTarget is not null) return new();
        return File.ReadAllLines(path).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')).Where(p => p.Length >= 3).ToList();
    }
}
