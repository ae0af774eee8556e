using System;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Toml;
using NUnit.Framework;

namespace FlyIo.AppModel.Tests;

[TestFixture]
public sealed class FlyConfigTests
{
    [TestCase("[[vm]]\ncpus = 1\n", "shared", 1, 256)]
    [TestCase("[[vm]]\nsize = \"performance-2x\"\n", "performance", 2, 4096)]
    [TestCase("[[vm]]\nsize = \"shared-cpu-2x\"\nmemory = \"1gb\"\n", "shared", 2, 1024)]
    [TestCase("[[vm]]\nmemory = \"2gb\"\nmemory_mb = 512\n", "shared", 1, 512)]
    [TestCase("[[vm]]\nsize = \"shared-cpu-1x\"\ncpu_kind = \"performance\"\ncpus = 2\n", "performance", 2, 256)]
    [TestCase("[[compute]]\nmemory = 768\n", "shared", 1, 768)]
    public void A_vm_is_sized_as_fly_sizes_it(string toml, string kind, int cpus, int memoryMb)
    {
        var vm = FlyConfig.Parse(toml).Vms.Single();
        Assert.That((vm.CpuKind, vm.Cpus, vm.MemoryMb), Is.EqualTo((kind, cpus, (int?)memoryMb)));
    }

    [Test]
    public void An_unknown_size_has_no_memory_and_the_image_fits_the_smallest_vm()
    {
        Assert.That(FlyConfig.Parse("[[vm]]\nsize = \"shared-cpu-3x\"\n").Vms.Single().MemoryMb, Is.Null);
        var groups = FlyConfig.Parse("[[vm]]\nmemory = \"1gb\"\nprocesses = [\"web\"]\n[[vm]]\nmemory = \"512mb\"\nprocesses = [\"worker\"]\n");
        Assert.That(groups.SmallestVmMemoryMb, Is.EqualTo(512));
        Assert.That(groups.Vms[1].AppliesTo("worker") && !groups.Vms[1].AppliesTo("web"), Is.True);
        Assert.That(FlyConfig.Parse("app = \"a\"\n").SmallestVmMemoryMb, Is.Null);
    }

    [Test]
    public void Env_values_become_the_strings_flyctl_sends()
    {
        var env = FlyConfig.Parse("[env]\nA = \"x\"\nB = 3\nC = true\nD = 1.5\n").Env;
        Assert.That(env, Is.EquivalentTo(new[] { ("A", "x"), ("B", "3"), ("C", "true"), ("D", "1.5") }.ToDictionary(p => p.Item1, p => p.Item2)));
    }

    [TestCase("[http_service]\ninternal_port = 5000\n[[services]]\ninternal_port = 6000\n", 5000)]
    [TestCase("[[services]]\nprotocol = \"tcp\"\n[[services]]\ninternal_port = 6000\n", 6000)]
    [TestCase("app = \"a\"\n", null)]
    public void The_internal_port_is_http_service_then_the_first_service_that_sets_one(string toml, int? port)
    {
        Assert.That(FlyConfig.Parse(toml).InternalPort, Is.EqualTo(port));
    }

    [Test]
    public void A_bad_file_is_a_value_not_an_exception()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flyconfig-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var missing = FlyConfig.Load(Path.Combine(dir, "fly.toml"));
            Assert.That((missing.Exists, missing.Error, missing.Root.Count), Is.EqualTo((false, (TomlParseException?)null, 0)));
            File.WriteAllText(Path.Combine(dir, "fly.toml"), "app = \"a\"\napp = \"b\"\n");
            var duplicate = FlyConfig.Load(Path.Combine(dir, "fly.toml"));
            Assert.That((duplicate.Exists, duplicate.Error?.Line, duplicate.App), Is.EqualTo((true, (int?)2, (string?)null)));
            Assert.That(duplicate.Bytes, Is.EqualTo(File.ReadAllBytes(Path.Combine(dir, "fly.toml"))));
            var folder = FlyConfig.Load(dir);
            Assert.That(folder.Error?.Code, Is.EqualTo(FlyCodes.TomlNotAFile.Code));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
