using System.Formats.Tar;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FlyIo.LocalMachines;

/// <summary>The image's run settings from its config blob.</summary>
/// <param name="Digest">The image config's digest (the image id).</param>
/// <param name="ManifestDigest">The digest of the manifest (or index) the reference resolved to: what Fly reports as image_ref.digest.</param>
public sealed record ImageConfig(string[] Entrypoint, string[] Cmd, string[] Env, string WorkingDir, string Digest, string User = "", string? ManifestDigest = null);

/// <summary>Pulls images over the OCI distribution API (basic auth, user "x"): Docker v2 and OCI manifests and
/// indexes (linux/amd64 chosen), gzip or plain layers cached by digest, unpacked with whiteouts.</summary>
/// <param name="sendsCredentialsTo">Whether a registry gets the password is sent to (the stand-in for registry.fly.io); an image
/// elsewhere is pulled anonymously, so a machine config naming another host never receives the password.</param>
public sealed partial class OciPuller(string cacheDir, string? password, IReadOnlyCollection<string> insecure, Func<string, bool> sendsCredentialsTo) : IDisposable
{
    private static readonly string[] ManifestTypes =
    {
        "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
    };

    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(10) };

    private string Scheme(string registry) =>
        registry.StartsWith("127.", StringComparison.Ordinal) || registry.StartsWith("localhost", StringComparison.Ordinal) || insecure.Contains(registry) ? "http" : "https";

    /// <summary>
    /// One registry GET. A registry that refuses the connection, resets it or answers 5xx is asked again with backoff
    /// for about half a minute, as flyd retries its pulls: a registry restarting must not fail a machine's launch.
    /// </summary>
    private async Task<HttpResponseMessage> GetAsync(FlyIo.Machines.ImageReference r, string path, bool manifest, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Scheme(r.Registry)}://{r.Registry}/v2/{r.Repository}/{path}");
            if (password is not null && sendsCredentialsTo(r.Registry))
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("x:" + password)));
            if (manifest) foreach (var t in ManifestTypes) request.Headers.Accept.ParseAdd(t);
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException) when (attempt < 8)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay *= 2;
                continue;
            }
            if (response.IsSuccessStatusCode) return response;
            var code = (int)response.StatusCode;
            response.Dispose();
            if (code >= 500 && attempt < 8)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay *= 2;
                continue;
            }
            throw new LaunchFailedException($"failed to pull {r.Registry}/{r.Repository}: GET {path} answered {code}");
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<ImageConfig> PullAsync(FlyIo.Machines.ImageReference r, string rootfs, CancellationToken ct)
    {
        var (config, manifest) = await ResolveAsync(r, ct).ConfigureAwait(false);
        await UnpackLayersAsync(r, manifest, rootfs, ct).ConfigureAwait(false);
        return config;
    }

    /// <summary>The image's config and its (linux/amd64) manifest, without unpacking anything.</summary>
    public async Task<(ImageConfig Config, JsonObject Manifest)> ResolveAsync(FlyIo.Machines.ImageReference r, CancellationToken ct)
    {
        var reference = r.Digest ?? r.Tag;
        var (manifest, manifestDigest) = await ManifestAsync(r, reference, ct).ConfigureAwait(false);
        if (manifest["manifests"] is JsonArray list)
        {
            var chosen = list.OfType<JsonObject>().FirstOrDefault(m => m["platform"]?["os"]?.GetValue<string>() == "linux" && m["platform"]?["architecture"]?.GetValue<string>() == "amd64")
                ?? throw new LaunchFailedException($"image {r.Repository}:{r.Tag} has no linux/amd64 manifest");
            (manifest, _) = await ManifestAsync(r, chosen["digest"]!.GetValue<string>(), ct).ConfigureAwait(false);
        }
        var configDigest = manifest["config"]?["digest"]?.GetValue<string>() ?? throw new LaunchFailedException("manifest has no config");
        if (!DigestPattern().IsMatch(configDigest)) throw new LaunchFailedException($"the manifest names an invalid config digest '{configDigest}'");
        var configJson = JsonNode.Parse(await File.ReadAllTextAsync(await BlobAsync(r, configDigest, ct).ConfigureAwait(false), ct).ConfigureAwait(false))!;
        var c = configJson["config"] as JsonObject ?? new JsonObject();
        string[] Strings(string key) => (c[key] as JsonArray)?.Select(x => x!.GetValue<string>()).ToArray() ?? Array.Empty<string>();
        return (new ImageConfig(Strings("Entrypoint"), Strings("Cmd"), Strings("Env"), c["WorkingDir"]?.GetValue<string>() ?? "", configDigest,
            c["User"]?.GetValue<string>() ?? "", manifestDigest), manifest);
    }

    /// <summary>Unpacks the manifest's layers, in order, into <paramref name="rootfs"/>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UnpackLayersAsync(FlyIo.Machines.ImageReference r, JsonObject manifest, string rootfs, CancellationToken ct)
    {
        Directory.CreateDirectory(rootfs);
        foreach (var layer in (manifest["layers"] as JsonArray ?? new JsonArray()).OfType<JsonObject>())
        {
            var blob = await BlobAsync(r, layer["digest"]!.GetValue<string>(), ct).ConfigureAwait(false);
            Unpack(blob, rootfs);
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial System.Text.RegularExpressions.Regex DigestPattern();

    private async Task<(JsonObject Manifest, string Digest)> ManifestAsync(FlyIo.Machines.ImageReference r, string reference, CancellationToken ct)
    {
        if (reference.StartsWith("sha256:", StringComparison.Ordinal) && !DigestPattern().IsMatch(reference))
            throw new LaunchFailedException($"invalid manifest digest '{reference}'");
        using var response = await GetAsync(r, "manifests/" + reference, true, ct).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var digest = "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();
        return (JsonNode.Parse(bytes) as JsonObject ?? throw new LaunchFailedException("invalid manifest"), digest);
    }

    private async Task<string> BlobAsync(FlyIo.Machines.ImageReference r, string digest, CancellationToken ct)
    {
        // The digest names a file in the cache: only a well-formed one ("sha256:" and 64 hex digits) may.
        if (!DigestPattern().IsMatch(digest)) throw new LaunchFailedException($"the manifest names an invalid digest '{digest}'");
        var path = Path.Combine(cacheDir, "blobs", digest.Replace(':', '_'));
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N");
        using (var response = await GetAsync(r, "blobs/" + digest, false, ct).ConfigureAwait(false))
        await using (var file = File.Create(temp))
        {
            await response.Content.CopyToAsync(file, ct).ConfigureAwait(false);
        }
        await using (var check = File.OpenRead(temp))
        {
            var actual = "sha256:" + Convert.ToHexString(await SHA256.HashDataAsync(check, ct).ConfigureAwait(false)).ToLowerInvariant();
            if (actual != digest) { File.Delete(temp); throw new LaunchFailedException($"blob {digest} arrived as {actual}"); }
        }
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>Extracts one layer (gzip detected by magic) into <paramref name="root"/>, applying whiteouts and never
    /// writing outside the root, whatever symbolic links earlier layers made.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Unpack(string layerPath, string root)
    {
        using var file = File.OpenRead(layerPath);
        var magic = new byte[2];
        var isGzip = file.Read(magic, 0, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream stream = isGzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            // A directory entry ends in '/': without trimming it, "usr/share/dotnet/" would be read as a child named
            // "dotnet" of usr/share/dotnet, replacing the file usr/share/dotnet/dotnet with an empty directory.
            var name = entry.Name.Replace('\\', '/').TrimStart('.', '/').TrimEnd('/');
            if (name.Length == 0) continue;
            var dirPart = Path.GetDirectoryName(name)?.Replace('\\', '/') ?? "";
            var leaf = Path.GetFileName(name.TrimEnd('/'));
            var parent = Resolve(root, dirPart, followLast: true);
            Directory.CreateDirectory(parent);
            if (leaf == ".wh..wh..opq")
            {
                foreach (var child in new DirectoryInfo(parent).EnumerateFileSystemInfos()) Remove(child.FullName);
                continue;
            }
            if (leaf.StartsWith(".wh.", StringComparison.Ordinal))
            {
                Remove(Path.Combine(parent, leaf[4..]));
                continue;
            }
            var target = Path.Combine(parent, leaf);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (File.Exists(target) || IsLink(target)) Remove(target);
                    Directory.CreateDirectory(target);
                    Own(target, entry);
                    File.SetUnixFileMode(target, entry.Mode);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (Directory.Exists(target) && !IsLink(target)) Directory.Delete(target, true);
                    else if (File.Exists(target) || IsLink(target)) File.Delete(target);
                    using (var output = File.Create(target))
                        entry.DataStream?.CopyTo(output);
                    // Owner before mode: chown clears set-user-id bits.
                    Own(target, entry);
                    File.SetUnixFileMode(target, entry.Mode);
                    break;
                case TarEntryType.SymbolicLink:
                    Remove(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    Own(target, entry);
                    break;
                case TarEntryType.HardLink:
                    Remove(target);
                    var source = Resolve(root, entry.LinkName.TrimStart('.', '/'), followLast: false);
                    if (File.Exists(source)) File.Copy(source, target);
                    Own(target, entry);
                    break;
            }
        }
    }

    private static bool IsLink(string path) => new FileInfo(path).LinkTarget is not null;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "lchown", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LChown(string path, int owner, int group);

    /// <summary>The layer's owner for the entry, so an image's non-root USER owns what the image gave it (as on Fly).</summary>
    private static void Own(string path, TarEntry entry)
    {
        if (entry.Uid == 0 && entry.Gid == 0) return;
        if (LChown(path, entry.Uid, entry.Gid) != 0)
            throw new LaunchFailedException($"could not give {entry.Name} to {entry.Uid}:{entry.Gid} (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
    }

    private static void Remove(string path)
    {
        if (IsLink(path) || File.Exists(path)) File.Delete(path);
        else if (Directory.Exists(path)) Directory.Delete(path, true);
    }

    /// <summary>The host path of <paramref name="relative"/> inside <paramref name="root"/>, resolving symbolic links
    /// as a chroot would (absolute targets restart at the root; ".." stops at the root).</summary>
    public static string Resolve(string root, string relative, bool followLast, int depth = 0)
    {
        if (depth > 40) throw new LaunchFailedException("too many levels of symbolic links in the image");
        var parts = new List<string>();
        var queue = new Queue<string>(relative.Split('/', StringSplitOptions.RemoveEmptyEntries));
        while (queue.Count > 0)
        {
            var part = queue.Dequeue();
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            var candidate = Path.Combine(root, Path.Combine(parts.Append(part).ToArray()));
            var link = (queue.Count > 0 || followLast) ? new FileInfo(candidate).LinkTarget : null;
            if (link is null) { parts.Add(part); continue; }
            var rest = string.Join('/', queue);
            var next = link.StartsWith('/') ? link + "/" + rest : string.Join('/', parts) + "/" + link + "/" + rest;
            return Resolve(root, next, followLast, depth + 1);
        }
        return Path.Combine(root, Path.Combine(parts.ToArray()));
    }

    public void Dispose() => _http.Dispose();
}
