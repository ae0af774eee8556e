using System;
using System.IO;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// One [[files]] entry as flyctl's File.toMachineFile sends it: local_path first (the file's bytes, base64), then
/// secret_name, then raw_value (its text, base64). local_path is read relative to fly.toml's folder.
/// </summary>
internal sealed record FlyFile(string GuestPath, string? LocalPath, string? SecretName, string? RawValue)
{
    public FileConfig ToMachineFile(string flyTomlDirectory)
    {
        if (!string.IsNullOrEmpty(LocalPath))
        {
            var path = Path.GetFullPath(Path.Combine(flyTomlDirectory, LocalPath));
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"fly.toml [[files]] for '{GuestPath}' reads local_path '{LocalPath}', which does not exist (looked at '{path}'). Create it or fix the path.", path);
            }

            return new FileConfig(GuestPath, Convert.ToBase64String(File.ReadAllBytes(path)), null);
        }

        if (!string.IsNullOrEmpty(SecretName))
        {
            return new FileConfig(GuestPath, null, SecretName);
        }

        return new FileConfig(GuestPath, string.IsNullOrEmpty(RawValue) ? null : Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(RawValue)), null);
    }
}
