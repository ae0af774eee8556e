using FlyIo.AppModel.Project;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.DotNet;
using NUnit.Framework;
using FlyIo.Diagnostics;
using S = FlyIo.Dependencies.Tests.DotNet.DotNetSamples;

namespace FlyIo.Dependencies.Tests.DotNet;

public class RestoreLayoutTests
{
    private static readonly FlyEnvironment Env = S.EnvFromFlyToml(S.Folder("multi-project"), new[] { "ConnectionStrings__Default" });

    [Test]
    public void Files_needed_for_restore_are_context_relative_sorted_with_forward_slashes()
    {
        Assert.That(RestoreLayout.FilesNeededForRestore(S.MultiProject()), Is.EqualTo(new[]
        {
            "Directory.Build.props", "Directory.Packages.props", "NuGet.config", "global.json", "src/Api/Api.csproj", "src/Shared/Shared.csproj",
        }));
    }

    [Test]
    public void Files_outside_the_context_start_with_dot_dot()
    {
        var files = RestoreLayout.FilesNeededForRestore(S.MultiProject("Dockerfile", "src/Api"));
        Assert.That(files, Does.Contain("../Shared/Shared.csproj").And.Contain("../../Directory.Packages.props").And.Contain("Api.csproj"));
    }

    [Test]
    public void Missing_props_file_is_reported_at_the_restore_run_with_the_copy_line_relative_to_the_workdir()
    {
        var d = S.Check(S.MultiProject("Dockerfile.missing-packages-props"), Env).Single();
        Assert.That(d.Code, Is.EqualTo(FlyCodes.RestoreInputNotCopied.Code));
        Assert.That((Path.GetFileName(d.File), d.Line, d.Column), Is.EqualTo(("Dockerfile.missing-packages-props", 10, 1)));
        Assert.That(d.Message, Does.EndWith("Add before line 10: COPY Directory.Packages.props ./"));
    }

    [Test]
    public void Project_copied_after_restore_is_reported_with_both_lines()
    {
        var d = S.Check(S.MultiProject("Dockerfile.shared-after-restore"), Env).Single();
        Assert.That(d.Code, Is.EqualTo(FlyCodes.RestoreInputCopiedAfterRestore.Code));
        Assert.That(d.Line, Is.EqualTo(8));
        Assert.That(d.Message, Does.Contain("copied at line 9, after dotnet restore at line 8"));
        Assert.That(d.Message, Does.EndWith("COPY src/Shared/Shared.csproj src/Shared/"));
    }

    [Test]
    public void Outside_files_name_a_context_that_contains_them_all()
    {
        var diagnostics = S.Check(S.MultiProject("Dockerfile", "src/Api"), Env);
        Assert.That(diagnostics.Select(d => d.Code).Distinct(), Is.EqualTo(new[] { FlyCodes.RestoreInputOutsideContext.Code }));
        Assert.That(diagnostics, Has.Count.EqualTo(5));
        Assert.That(diagnostics.All(d => d.Message.Contains("(e.g. '" + S.Folder("multi-project") + "')")), Is.True, S.Describe(diagnostics));
    }

    [TestCase("COPY . .", true)]
    [TestCase("COPY . /src/", true)]
    [TestCase("COPY src/ src/", true)]
    [TestCase("COPY ./src ./src", true)]
    [TestCase("COPY src/*/Shared.csproj ./", true)]
    [TestCase("COPY [\"src/Shared/Shared.csproj\", \"src/Shared/\"]", true)]
    [TestCase("COPY **/*.csproj ./", true)]
    [TestCase("COPY src/Api/ src/Api/", false)]
    [TestCase("COPY --from=build /src/Shared/Shared.csproj ./", false)]
    [TestCase("COPY src/Shared.csproj ./", false)]
    public void Copy_coverage(string copy, bool covers)
    {
        var file = FlyIo.AppModel.Docker.Dockerfile.Parse("FROM x\nWORKDIR /src\n" + copy + "\n");
        var c = file.Stages[0].Copies.Single();
        Assert.That(DotNetDependencyChecker.Covers(c, "src/Shared/Shared.csproj"), Is.EqualTo(covers));
    }

    [Test]
    public void Copy_lines_keep_the_layout_under_the_workdir()
    {
        Assert.That(RestoreLayout.CopyLine("src/Api/Api.csproj", "/src", "/src"), Is.EqualTo("COPY src/Api/Api.csproj src/Api/"));
        Assert.That(RestoreLayout.CopyLine("global.json", "/src", "/src"), Is.EqualTo("COPY global.json ./"));
        Assert.That(RestoreLayout.CopyLine("src/Api/Api.csproj", "/src", "/src/src/Api"), Is.EqualTo("COPY src/Api/Api.csproj ./"));
        Assert.That(RestoreLayout.CopyLine("Directory.Build.props", "/build", "/src"), Is.EqualTo("COPY Directory.Build.props /build/"));
        Assert.That(RestoreLayout.CopyLinesForRestore(S.MultiProject()), Does.Contain("COPY src/Shared/Shared.csproj src/Shared/"));
    }
}
