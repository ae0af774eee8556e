using System;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.AppModel.Docker;
using NUnit.Framework;

namespace FlyIo.Images.Tests;

/// <summary>Scripts a user's own Dockerfile runs: CRLF endings or a BOM before #! are FLY3012 at the script, unless the Dockerfile strips them.</summary>
[TestFixture]
public sealed class DockerfileScriptsTests
{
    private string _dir = "";

    [SetUp]
    public void MakeContext()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fly-scripts-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void Clean() => Directory.Delete(_dir, recursive: true);

    private void Script(string relative, string text, bool bom = false)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(path, bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(bytes).ToArray() : bytes);
    }

    private System.Collections.Generic.IReadOnlyList<FlyIo.Diagnostics.FlyDiagnostic> Check(string dockerfile, string? releaseCommand = null)
    {
        var path = Path.Combine(_dir, "Dockerfile");
        File.WriteAllText(path, dockerfile);
        return DockerfileScripts.Check(Dockerfile.Load(path), _dir, releaseCommand);
    }

    [Test]
    public void A_CRLF_entrypoint_copied_and_run_is_an_error_at_its_first_CRLF_line_naming_the_fixes()
    {
        Script("entrypoint.sh", "#!/bin/sh\r\nalembic upgrade head\r\nexec \"$@\"\r\n");

        var d = Check("FROM python:3.12-slim\nWORKDIR /app\nCOPY entrypoint.sh /app/entrypoint.sh\nENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD [\"uvicorn\", \"main:app\"]\n").Single();

        Assert.That((d.Code, d.Severity, Path.GetFileName(d.File), d.Line), Is.EqualTo(("FLY3012", FlyIo.Diagnostics.DiagnosticSeverity.Error, "entrypoint.sh", 1)));
        Assert.That(d.Message, Does.Contain("ENTRYPOINT at Dockerfile line 4").And.Contain("exit 127").And.Contain(".gitattributes").And.Contain("RUN sed -i 's/\\r$//' /app/entrypoint.sh"));
    }

    [TestCase("COPY . .\nCMD [\"./start.sh\"]", "start.sh")]
    [TestCase("COPY scripts/ /app/scripts/\nRUN ./scripts/setup.sh && rm -rf /tmp/x", "scripts/setup.sh")]
    [TestCase("COPY run.sh ./\nENTRYPOINT [\"sh\", \"/app/run.sh\"]", "run.sh")]
    [TestCase("COPY run.sh /usr/local/bin/\nCMD bash /usr/local/bin/run.sh --port 8080", "run.sh")]
    [TestCase("COPY run.sh ./\nRUN [\"/bin/sh\", \"-c\", \"./run.sh && echo done\"]", "run.sh")]
    public void Every_way_of_running_a_copied_script_is_seen(string lines, string script)
    {
        Script(script, "#!/bin/sh\r\necho hi\r\n");

        var d = Check("FROM debian:bookworm-slim\nWORKDIR /app\n" + lines + "\n");

        Assert.That(d.Select(x => Path.GetRelativePath(_dir, x.File!).Replace('\\', '/')), Is.EqualTo(new[] { script }));
    }

    [Test]
    public void A_WORKDIR_written_with_a_variable_is_followed_as_the_build_resolves_it()
    {
        Script("run.sh", "#!/bin/sh\r\necho hi\r\n");

        var d = Check("FROM debian:bookworm-slim\nENV APP=/srv/app\nWORKDIR $APP\nCOPY run.sh ./\nWORKDIR /tmp\nWORKDIR ${APP}\nRUN ./run.sh\n").Single();

        Assert.That((Path.GetFileName(d.File), d.Message.Contains("RUN at Dockerfile line 7")), Is.EqualTo(("run.sh", true)), d.Message);
    }

    [Test]
    public void A_BOM_before_the_shebang_is_an_error_too()
    {
        Script("entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n", bom: true);

        var d = Check("FROM debian:bookworm-slim\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT [\"/entrypoint.sh\"]\n").Single();

        Assert.That(d.Message, Does.Contain("byte order mark"));
    }

    [TestCase("RUN sed -i 's/\\r$//' /app/entrypoint.sh && chmod +x /app/entrypoint.sh")]
    [TestCase("RUN apt-get update && apt-get install -y dos2unix && dos2unix /app/entrypoint.sh")]
    [TestCase("RUN find /app -name '*.sh' -exec sed -i 's/\\r$//' {} +")]
    public void A_Dockerfile_that_strips_the_carriage_returns_itself_is_fine(string strip)
    {
        Script("entrypoint.sh", "#!/bin/sh\r\nexec \"$@\"\r\n");

        Assert.That(Check($"FROM debian:bookworm-slim\nWORKDIR /app\nCOPY entrypoint.sh .\n{strip}\nENTRYPOINT [\"./entrypoint.sh\"]\n"), Is.Empty);
    }

    [Test]
    public void LF_scripts_programs_and_scripts_not_copied_from_the_context_are_fine()
    {
        Script("entrypoint.sh", "#!/bin/sh\nexec \"$@\"\n");
        Script("notes.sh", "#!/bin/sh\r\necho never run\r\n");

        var d = Check("FROM debian:bookworm-slim\nCOPY . /app\nRUN /usr/bin/apt-get update\nENTRYPOINT [\"/app/entrypoint.sh\"]\nCMD [\"python3\", \"-m\", \"uvicorn\"]\n");

        Assert.That(d, Is.Empty, "notes.sh is copied but never run");
    }

    [Test]
    public void A_release_command_that_runs_a_script_is_checked_when_no_entrypoint_wraps_it()
    {
        Script("migrate.sh", "#!/bin/sh\r\nalembic upgrade head\r\n");

        var d = Check("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"uvicorn\", \"main:app\"]\n", "./migrate.sh").Single();

        Assert.That(d.Message, Does.Contain("release_command"));
    }

    [Test]
    public void A_release_command_is_split_like_flyctl_so_a_quoted_script_path_is_seen()
    {
        Script("my migrate.sh", "#!/bin/sh\r\nalembic upgrade head\r\n");

        var d = Check("FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nCMD [\"uvicorn\", \"main:app\"]\n", "sh './my migrate.sh'").Single();

        Assert.That(Path.GetFileName(d.File), Is.EqualTo("my migrate.sh"));
    }
}
