using System;
using System.IO;
using System.Runtime.Loader;

namespace FlyIo.Sdk.Benchmarks;

/// <summary>
/// The project's own TOML reader as it was before it moved onto Tomlyn, built by build/bench.sh from the commit that
/// Baselines/toml-own-reader.txt names and loaded beside the current one (its assembly has the same name, so it
/// gets its own load context). Measuring both in one run makes their ratio independent of what else the machine
/// is doing, which a recorded figure cannot be.
/// </summary>
public static class FormerTomlReader
{
    public static Func<byte[], object> Load(string folder)
    {
        var context = new AssemblyLoadContext("former-toml-reader");
        context.Resolving += (ctx, name) =>
        {
            var path = Path.Combine(folder, name.Name + ".dll");
            return File.Exists(path) ? ctx.LoadFromAssemblyPath(path) : null;
        };

        var assembly = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(folder), "FlyIo.Toml.dll"));
        var parse = assembly.GetType("FlyIo.Toml.TomlParser", throwOnError: true)!.GetMethod("Parse", new[] { typeof(byte[]) })
            ?? throw new MissingMethodException("FlyIo.Toml.TomlParser", "Parse(byte[])");
        return (Func<byte[], object>)Delegate.CreateDelegate(typeof(Func<byte[], object>), parse);
    }
}
