using System.Collections.Generic;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>Builders never inherit the Fly token variables: they get credentials only through what is made for them.</summary>
[TestFixture]
public sealed class BuilderEnvironmentTests
{
    [TestCase(ImageBuilderKind.Buildah)]
    [TestCase(ImageBuilderKind.Podman)]
    [TestCase(ImageBuilderKind.Docker)]
    public void Build_and_push_steps_remove_FLY_API_TOKEN_and_FLY_ACCESS_TOKEN(ImageBuilderKind kind)
    {
        var request = new ImageBuildRequest("/tmp/ctx", "/tmp/ctx/Dockerfile", "registry.fly.io/app:deployment-1");

        foreach (var spec in new[] { ImageBuilder.BuildSpec(kind, request, new Dictionary<string, string?>()), ImageBuilder.PushSpec(kind, request, new Dictionary<string, string?>()) })
        {
            Assert.That(spec.Environment.ContainsKey("FLY_API_TOKEN") && spec.Environment["FLY_API_TOKEN"] is null, Is.True, spec.FileName + " must not inherit FLY_API_TOKEN");
            Assert.That(spec.Environment.ContainsKey("FLY_ACCESS_TOKEN") && spec.Environment["FLY_ACCESS_TOKEN"] is null, Is.True);
        }
    }

    [Test]
    public void The_sdk_builder_does_not_inherit_them_either()
    {
        var request = new ImageBuildRequest("/tmp/ctx", "/tmp/ctx/Dockerfile", "registry.fly.io/app:deployment-1") { ProjectPath = "/tmp/ctx/App.csproj" };

        var spec = ImageBuilder.SdkSpec(request, null, System.IO.Path.GetTempPath());

        Assert.That(spec.Environment["FLY_API_TOKEN"], Is.Null);
    }
}
