using System;
using System.IO;
using FlyIo.Sdk.Benchmarks;

// Entry point: "toml-fuzz [--count N] [--seed S] [--timeout-ms T]", "toml-bench [--former FOLDER]", "deps-scan [files]" or "deploy".
var command = args.Length > 0 ? args[0] : string.Empty;
switch (command)
{
    case "toml-fuzz":
        return TomlFuzzCommand.Run(args, FindSharedData());
    case "toml-bench":
        return TomlBench.Run(FindSharedData(), args.Length > 2 && args[1] == "--former" ? args[2] : null);
    case "deps-scan":
        return DependencyScanBench.Run(args);
    case "deploy":
        return await DeployBenchCommand.RunAsync();
    default:
        Console.Error.WriteLine("usage: FlyIo.Sdk.Benchmarks toml-fuzz [--count N] [--seed S] [--timeout-ms T] | toml-bench [--former FOLDER] | deps-scan [files] | deploy");
        return 2;
}

static string FindSharedData()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "FlyIo.Sdk.sln")))
        {
            return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
        }
    }

    throw new DirectoryNotFoundException("FlyIo.Sdk.sln was not found above " + AppContext.BaseDirectory);
}
