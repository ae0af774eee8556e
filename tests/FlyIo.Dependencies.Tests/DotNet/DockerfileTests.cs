using System.Linq;
using FlyIo.AppModel.Docker;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DotNet;

public class DockerfileTests
{
    [Test]
    public void Reads_directives_continuations_comments_forms_and_stages()
    {
        const string text = "# syntax=docker/dockerfile:1\n" +
                            "# escape=`\n" +
                            "\n" +
                            "ARG BASE=mcr.microsoft.com/dotnet\n" +
                            "ARG VERSION=10.0\n" +
                            "FROM ${BASE}/sdk:${VERSION} AS build\n" +
                            "  WORKDIR /src\n" +
                            "COPY --link [\"a b.csproj\", \"./\"]\n" +
                            "RUN dotnet restore `\n" +
                            "# a comment inside the continuation\n" +
                            "    --locked-mode\n" +
                            "from build as publish\n" +
                            "WORKDIR out\n" +
                            "FROM ${BASE}/aspnet:${VERSION:-8.0}-noble-chiseled\n" +
                            "ENV A=1 B=\"two words\"\n" +
                            "ENV LEGACY some value\n" +
                            "EXPOSE 8080/tcp\n" +
                            "ENTRYPOINT [\"dotnet\", \"App.dll\"]\n" +
                            "CMD --urls http://+:8080\n";
        var file = Dockerfile.Parse(text);
        Assert.That(file.Directives["syntax"], Is.EqualTo("docker/dockerfile:1"));
        Assert.That(file.EscapeChar, Is.EqualTo('`'));
        Assert.That(file.GlobalArgs["VERSION"], Is.EqualTo("10.0"));
        Assert.That(file.Stages, Has.Count.EqualTo(3));
        Assert.That(file.Stages[0].ResolvedImage, Is.EqualTo("mcr.microsoft.com/dotnet/sdk:10.0"));
        Assert.That(file.Stages[0].Name, Is.EqualTo("build"));
        Assert.That(file.Stages[1].BaseStage, Is.SameAs(file.Stages[0]));
        Assert.That(file.Stages[1].FinalWorkdir, Is.EqualTo("/src/out"));
        Assert.That(file.Stages[1].Instructions.Last().Workdir, Is.EqualTo("/src"), "an instruction runs in the WORKDIR set before it");
        Assert.That(file.Stages[2].ResolvedImage, Is.EqualTo("mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"));

        var copy = file.Stages[0].Copies.Single();
        Assert.That(copy.Instruction.IsExecForm, Is.True);
        Assert.That(copy.Instruction.HasFlag("link"), Is.True);
        Assert.That(copy.Sources, Is.EqualTo(new[] { "a b.csproj" }));
        Assert.That(copy.AbsoluteDestination, Is.EqualTo("/src/"));

        var run = file.Stages[0].Instructions.Single(i => i.Keyword == "RUN");
        Assert.That((run.Line, run.EndLine), Is.EqualTo((9, 11)));
        Assert.That(run.Command, Does.Contain("dotnet restore").And.Contain("--locked-mode").And.Not.Contain("comment"));
        Assert.That(file.Stages[0].Instructions.First().Column, Is.EqualTo(3));

        var env = file.Stages[2].EffectiveEnv;
        Assert.That(env["A"], Is.EqualTo("1"));
        Assert.That(env["B"], Is.EqualTo("two words"));
        Assert.That(env["LEGACY"], Is.EqualTo("some value"));
        var entry = file.Stages[2].Instructions.Single(i => i.Keyword == "ENTRYPOINT");
        Assert.That(entry.IsExecForm && entry.Words.SequenceEqual(new[] { "dotnet", "App.dll" }), Is.True);
        var cmd = file.Stages[2].Instructions.Single(i => i.Keyword == "CMD");
        Assert.That(cmd.IsExecForm, Is.False);
        Assert.That(cmd.Words, Is.EqualTo(new[] { "--urls", "http://+:8080" }));
        Assert.That(file.Stages[2].Instructions.Single(i => i.Keyword == "EXPOSE").Words, Is.EqualTo(new[] { "8080/tcp" }));
    }

    [Test]
    public void Entrypoint_and_cmd_follow_the_base_stage_and_entrypoint_drops_only_an_inherited_cmd()
    {
        var file = Dockerfile.Parse("FROM x AS base\nCMD [\"serve\"]\nFROM base AS same\nCMD run --fast\nENTRYPOINT [\"app\"]\nFROM base AS reset\nENTRYPOINT /bin/app\nFROM base\n");
        Assert.That(file.FindStage("same")!.Cmd!.Words, Is.EqualTo(new[] { "run", "--fast" }));
        Assert.That(file.FindStage("same")!.Entrypoint!.IsExecForm, Is.True);
        Assert.That(file.FindStage("reset")!.Cmd, Is.Null);
        Assert.That((file.FindStage("reset")!.Entrypoint!.IsShellForm, file.FindStage("reset")!.Entrypoint!.Text, file.FindStage("reset")!.Entrypoint!.Line), Is.EqualTo((true, "/bin/app", 7)));
        Assert.That((file.FinalStage!.Entrypoint, file.FinalStage.Cmd!.Text, file.FinalStage.Cmd.Line), Is.EqualTo((null as ImageCommand, "[\"serve\"]", 2)));
    }

    [TestCase("[\"sh\", \"-c\", \"a && b\"]", "a && b")]
    [TestCase("[\"/usr/bin/app\", \"-c\", \"x\"]", null)]
    [TestCase("app --port 80", "app --port 80")]
    public void Shell_script_of_an_exec_form_that_starts_a_shell(string cmd, string? script)
    {
        Assert.That(Dockerfile.Parse("FROM x\nCMD " + cmd + "\n").FinalStage!.Cmd!.ShellScript, Is.EqualTo(script));
    }

    [Test]
    public void Exec_form_rendered_for_an_entrypoint_without_a_dockerfile_escapes_quotes()
    {
        var command = ImageCommand.Exec(new[] { "dotnet", "a \"b\".dll" });
        Assert.That((command.Text, command.IsExecForm, command.Line), Is.EqualTo(("[\"dotnet\", \"a \\\"b\\\".dll\"]", true, 0)));
        Assert.That(Dockerfile.TryParseJsonArray(command.Text), Is.EqualTo(command.Words));
    }

    [Test]
    public void Heredoc_bodies_belong_to_their_run()
    {
        var file = Dockerfile.Parse("FROM debian\nRUN <<EOF\napt-get update\napt-get install -y libfontconfig1\nEOF\nCMD [\"x\"]\n");
        var run = file.Instructions[1];
        Assert.That(run.Heredocs.Single(), Does.Contain("libfontconfig1"));
        Assert.That(run.EndLine, Is.EqualTo(5));
        Assert.That(file.Instructions[2].Keyword, Is.EqualTo("CMD"));
        Assert.That(file.Instructions[2].Line, Is.EqualTo(6));
    }

    [Test]
    public void Stage_args_inherit_global_defaults_and_substitute_later_instructions()
    {
        var file = Dockerfile.Parse("ARG APP=/srv/app\nFROM alpine\nARG APP\nWORKDIR $APP\nCOPY x ${APP}/bin/\n");
        var copy = file.Stages[0].Copies.Single();
        Assert.That(copy.Workdir, Is.EqualTo("/srv/app"));
        Assert.That(copy.Destination, Is.EqualTo("/srv/app/bin/"));
    }

    [TestCase("${A:-x}", "", "x")]
    [TestCase("${A:-x}", "y", "y")]
    [TestCase("${A:+x}", "y", "x")]
    [TestCase("${A:+x}", "", "")]
    [TestCase("\\$A", "y", "$A")]
    [TestCase("$A/b", "y", "y/b")]
    public void Substitution(string text, string value, string expected)
    {
        var vars = new System.Collections.Generic.Dictionary<string, string?> { ["A"] = value.Length == 0 ? null : value };
        Assert.That(Dockerfile.Substitute(text, vars), Is.EqualTo(expected));
    }

    [Test]
    public void Windows_line_endings_and_a_byte_order_mark_are_read()
    {
        var file = Dockerfile.Parse("\uFEFFFROM mcr.microsoft.com/dotnet/aspnet:10.0\r\nRUN echo a \\\r\n  b\r\n");
        Assert.That(file.Stages.Single().ResolvedImage, Is.EqualTo("mcr.microsoft.com/dotnet/aspnet:10.0"));
        Assert.That(file.Instructions[1].Command, Is.EqualTo("echo a   b"));
    }
}
