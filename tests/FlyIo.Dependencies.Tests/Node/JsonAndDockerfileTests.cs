using FlyIo.Json;
using System.Linq;
using FlyIo.AppModel.Docker;
using FlyIo.Dependencies.Node;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Node;

public class JsonAndDockerfileTests
{
    [Test]
    public void Json_values_escapes_and_positions()
    {
        var root = (JsonObject)JsonReader.Parse("{\n  \"a\": [1, -2.5e3, true, false, null],\n  \"b\\u0041\": \"x\\n\\\"y\\\\\"\n}");
        var array = (JsonArray)root["a"]!;
        Assert.Multiple(() =>
        {
            Assert.That(array.Items.Select(i => i.GetType().Name), Is.EqualTo(new[] { "JsonNumber", "JsonNumber", "JsonLiteral", "JsonLiteral", "JsonLiteral" }));
            Assert.That(((JsonNumber)array.Items[1]).Text, Is.EqualTo("-2.5e3"));
            Assert.That(root.GetString("bA"), Is.EqualTo("x\n\"y\\"));
            Assert.That((root.Members[1].Line, root.Members[1].Column), Is.EqualTo((3, 3)));
            Assert.That((root["bA"]!.Line, root["bA"]!.Column), Is.EqualTo((3, 14)));
        });
    }

    [TestCase("{\"a\": 1,}", 1, 9)]
    [TestCase("{\"a\" 1}", 1, 6)]
    [TestCase("[01]", 1, 3)]
    [TestCase("\"abc", 1, 5)]
    [TestCase("{\"a\": tru}", 1, 7)]
    [TestCase("// c\n{}", 1, 1)]
    [TestCase("{} x", 1, 4)]
    public void Json_errors_are_located(string text, int line, int column)
    {
        var e = Assert.Throws<JsonParseException>(() => JsonReader.Parse(text))!;
        Assert.That((e.Line, e.Column), Is.EqualTo((line, column)));
    }

    [Test]
    public void Relaxed_json_accepts_comments_and_trailing_commas()
    {
        var root = (JsonObject)JsonReader.Parse("// c\n{ /* x */ \"a\": [1,], }", relaxed: true);
        Assert.That(((JsonArray)root["a"]!).Items, Has.Count.EqualTo(1));
    }

    [TestCase("RUN npm ci --omit=dev", true)]
    [TestCase("RUN npm ci --omit dev", true)]
    [TestCase("RUN npm ci --only=production", true)]
    [TestCase("RUN npm install --production", true)]
    [TestCase("RUN yarn install --production --frozen-lockfile", true)]
    [TestCase("RUN pnpm install --prod", true)]
    [TestCase("RUN npm ci && npm prune --omit=dev", true)]
    [TestCase("ENV NODE_ENV=production\nRUN npm ci", true)]
    [TestCase("ENV NODE_ENV production\nRUN npm install", true)]
    [TestCase("RUN NODE_ENV=production npm ci", true)]
    [TestCase("RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev", true)]
    [TestCase("RUN [\"npm\", \"ci\", \"--omit=dev\"]", true)]
    [TestCase("RUN [\"/bin/sh\", \"-c\", \"npm ci && npm prune --omit=dev\"]", true)]
    [TestCase("RUN npm ci", false)]
    [TestCase("RUN npm ci\nENV NODE_ENV=production", false)]
    [TestCase("RUN npm ci --omit=dev && npm install -g pm2", true)]
    [TestCase("RUN npm ci \\\n  # comment inside a continuation\n  --omit=dev", true)]
    public void Dev_omission_of_a_single_stage(string body, bool omits)
    {
        var dockerfile = Dockerfile.Parse("FROM node:20\nWORKDIR /app\n" + body + "\nCMD [\"node\", \"a.js\"]\n");
        Assert.That(NodeDockerfile.DevOmission(dockerfile)?.OmitsDev ?? false, Is.EqualTo(omits));
    }

    private static DevOmission? Omission(string dockerfile) => NodeDockerfile.DevOmission(Dockerfile.Parse(dockerfile));

    [Test]
    public void Dev_omission_follows_copy_from_of_node_modules_and_base_stages()
    {
        const string copyAll = "FROM node:20 AS deps\nRUN npm ci\nFROM node:20 AS prod\nRUN npm ci --omit=dev\nFROM node:20-slim\nCOPY --from=deps /app/node_modules ./node_modules\n";
        const string copyProd = "FROM node:20 AS deps\nRUN npm ci\nFROM node:20 AS prod\nRUN npm ci --omit=dev\nFROM node:20-slim\nCOPY --from=prod /app/node_modules ./node_modules\n";
        const string inherit = "FROM node:20 AS base\nENV NODE_ENV=production\nFROM base\nRUN npm ci\n";
        Assert.Multiple(() =>
        {
            Assert.That(Omission(copyAll)!.OmitsDev, Is.False);
            Assert.That(Omission(copyProd)!.Line, Is.EqualTo(4));
            Assert.That(Omission(inherit)!.OmitsDev, Is.True);
        });
    }

    [Test]
    public void Start_command_is_the_final_stage_cmd_in_exec_or_shell_form()
    {
        var exec = Dockerfile.Parse("FROM a AS b\nCMD [\"x\"]\nFROM c\nCMD [\"sh\", \"-c\", \"npx prisma migrate deploy && node dist/server.js\"]\n");
        var shell = Dockerfile.Parse("FROM c\nENTRYPOINT [\"docker-entrypoint.sh\"]\nCMD node \\\n  server.js\n");
        Assert.That(NodeDockerfile.StartCommands(exec).Single(), Is.EqualTo(new System.Collections.Generic.KeyValuePair<string, int>("npx prisma migrate deploy && node dist/server.js", 4)));
        // The continuation keeps the next line's indent, as in Docker; the shell reads the same words.
        Assert.That(ShellCommands.Split(NodeDockerfile.StartCommands(shell).Single().Key).Single(), Is.EqualTo(new[] { "docker-entrypoint.sh", "node", "server.js" }));
    }

    [Test]
    public void Start_command_is_inherited_from_the_base_stage()
    {
        var dockerfile = Dockerfile.Parse("FROM node:20 AS base\nCMD [\"node\", \"a.js\"]\nFROM base\nRUN npm ci\n");
        Assert.That(NodeDockerfile.StartCommands(dockerfile).Single(), Is.EqualTo(new System.Collections.Generic.KeyValuePair<string, int>("node a.js", 2)));
    }
}
