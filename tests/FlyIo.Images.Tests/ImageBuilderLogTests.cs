using FlyIo.Testing;
using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>The builder reports through the log it is given: each command and every line it prints, as they come.</summary>
[TestFixture]
public class ImageBuilderLogTests
{
    private string _dir = "";

    [SetUp]
    public void CreateProject() => _dir = Directory.CreateTempSubdirectory("flyio-builder-log-").FullName;

    [TearDown]
    public void DeleteProject() => Directory.Delete(_dir, true);

    [Test]
    public async Task The_sdk_builder_shows_its_command_and_output_as_detail_lines()
    {
        var request = Request("<Target Name=\"PublishContainer\"><Message Importance=\"high\" Text=\"flyio-publishing\" /></Target>");
        var log = new CollectingFlyLog();

        var result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Sdk, log);

        Assert.That(result.Succeeded, Is.True);
        Assert.That(log.DetailLines[0], Does.StartWith("> dotnet publish " + request.ProjectPath + " -t:PublishContainer"));
        Assert.That(log.DetailLines, Has.Some.Contains("flyio-publishing"));
        Assert.That(string.Concat(log.DetailLines.Select(l => l + "\n")), Is.EqualTo(result.Output), "the result keeps what the log was shown");
        Assert.That(log.ProgressLines, Is.Empty);
        Assert.That(log.Diagnostics, Is.Empty, "findings come back in the result, once");
    }

    [Test]
    public async Task Cancelling_stops_a_running_build_promptly_with_FLY3034()
    {
        var request = Request("<Target Name=\"PublishContainer\"><Message Importance=\"high\" Text=\"flyio-sleeping\" /><Exec Command=\"sleep 120\" /></Target>");
        using var cts = new CancellationTokenSource();
        var started = DateTime.UtcNow;

        var result = await ImageBuilder.BuildAndPushAsync(request, ImageBuilderKind.Sdk, new LineLog(line =>
        {
            if (line.Contains("flyio-sleeping"))
            {
                cts.Cancel();
            }
        }), cts.Token).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.Diagnostics.Select(d => d.Code), Is.EqualTo(new[] { FlyCodes.ImageBuildCancelled.Code }));
        Assert.That(result.Output, Does.Contain("flyio-sleeping"), "the build had started when it was cancelled");
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(60)), "the sleep 120 was stopped");
    }

    private ImageBuildRequest Request(string target)
    {
        var project = Path.Combine(_dir, "App.proj");
        File.WriteAllText(project, $"<Project><Target Name=\"Restore\" /><Target Name=\"Publish\" />{target}</Project>\n");
        return new ImageBuildRequest(_dir, Path.Combine(_dir, "Dockerfile"), "127.0.0.1:1/app:test") { ProjectPath = project, Push = false };
    }
}
