using System.IO;
using System.Linq;
using FlyIo.Dependencies.Python;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.Python;

public class PythonManifestTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "flydeps-py-" + Path.GetRandomFileName());
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [TestCase("PyYAML", "pyyaml")]
    [TestCase("python_dateutil", "python-dateutil")]
    [TestCase("ruamel.yaml", "ruamel-yaml")]
    [TestCase("Flask--_.SQLAlchemy", "flask-sqlalchemy")]
    public void Names_are_normalized_as_pep_503_says(string name, string normalized)
    {
        Assert.That(PythonPackageNames.Normalize(name), Is.EqualTo(normalized));
    }

    [Test]
    public void Requirements_lines_extras_markers_comments_urls_editables_and_includes()
    {
        File.WriteAllText(Path.Combine(_dir, "requirements.txt"),
            "# comment\n" +
            "psycopg[binary,pool] >= 3.1 ; python_version >= \"3.8\"  # driver\n" +
            "--index-url https://example.org/simple\n" +
            "-r base.txt\n" +
            "requests==2.*\\\n    \n" +
            "-e git+https://github.com/org/proj.git#egg=proj_lib\n" +
            "-e .\n" +
            "mylib @ https://example.org/mylib-1.0.tar.gz\n" +
            "https://example.org/x.zip#egg=zipped\n" +
            "./local/pkg\n" +
            "-c constraints.txt\n");
        File.WriteAllText(Path.Combine(_dir, "base.txt"), "Django>=5\n");
        File.WriteAllText(Path.Combine(_dir, "constraints.txt"), "notinstalled==1\n");
        File.WriteAllText(Path.Combine(_dir, "requirements-dev.txt"), "-r requirements.txt\npytest\n");
        var manifest = PythonManifest.Read(_dir);
        Assert.That(manifest.Requirements.Select(r => (r.Name, r.Extras, r.File, r.Line, r.Dev)), Is.EquivalentTo(new (string, string?, string, int, bool)[]
        {
            ("psycopg", "binary,pool", "requirements.txt", 2, false),
            ("Django", null, "base.txt", 1, false),
            ("requests", null, "requirements.txt", 5, false),
            ("proj_lib", null, "requirements.txt", 7, false),
            ("mylib", null, "requirements.txt", 9, false),
            ("zipped", null, "requirements.txt", 10, false),
            ("pytest", null, "requirements-dev.txt", 2, true),
        }));
    }

    [Test]
    public void Pyproject_pep621_optional_groups_poetry_and_dependency_groups()
    {
        File.WriteAllText(Path.Combine(_dir, "pyproject.toml"),
            "[project]\nname = \"x\"\ndependencies = [\"fastapi>=0.1\", \"psycopg[binary]\"]\n" +
            "[project.optional-dependencies]\nredis = [\"redis\"]\ntest = [\"pytest\"]\n" +
            "[dependency-groups]\nlint = [\"ruff\"]\n" +
            "[tool.poetry.dependencies]\npython = \"^3.11\"\nPillow = { version = \"^10\", extras = [\"avif\"] }\nmine = { path = \"../mine\" }\n" +
            "[tool.poetry.group.dev.dependencies]\nmypy = \"*\"\n");
        var manifest = PythonManifest.Read(_dir);
        Assert.That(manifest.Requirements.Select(r => (r.Normalized, r.Extras, r.Line, r.Dev)), Is.EquivalentTo(new (string, string?, int, bool)[]
        {
            ("fastapi", null, 3, false), ("psycopg", "binary", 3, false), ("redis", null, 5, false), ("pytest", null, 6, true),
            ("ruff", null, 8, true), ("pillow", "avif", 11, false), ("mypy", null, 14, true),
        }));
    }

    [Test]
    public void Standard_library_list_and_import_map_are_complete_enough()
    {
        Assert.Multiple(() =>
        {
            Assert.That(PythonPackageNames.StandardLibrary, Has.Count.GreaterThanOrEqualTo(300));
            foreach (var module in new[] { "asyncio", "tomllib", "distutils", "imp", "asynchat", "zoneinfo", "__future__", "typing", "sqlite3", "_thread" })
            {
                Assert.That(PythonPackageNames.IsStandardLibrary(module), Is.True, module);
            }

            foreach (var module in new[] { "yaml", "typing_extensions", "requests", "attr", "six" })
            {
                Assert.That(PythonPackageNames.IsStandardLibrary(module), Is.False, module);
            }

            Assert.That(PythonPackageNames.MapEntryCount, Is.GreaterThanOrEqualTo(200));
        });
    }

    [TestCase("yaml", "PyYAML")]
    [TestCase("PIL.Image", "Pillow")]
    [TestCase("cv2", "opencv-python|opencv-python-headless")]
    [TestCase("bs4", "beautifulsoup4")]
    [TestCase("jwt", "PyJWT")]
    [TestCase("dotenv", "python-dotenv")]
    [TestCase("psycopg", "psycopg[binary]")]
    [TestCase("psycopg2.extras", "psycopg2-binary|psycopg2")]
    [TestCase("sklearn.cluster", "scikit-learn")]
    [TestCase("google.protobuf.json_format", "protobuf")]
    [TestCase("google.cloud.spanner", "google-cloud-spanner")]
    [TestCase("jose", "python-jose")]
    [TestCase("multipart", "python-multipart")]
    [TestCase("dateutil.parser", "python-dateutil")]
    [TestCase("magic", "python-magic")]
    [TestCase("Crypto.Cipher", "pycryptodome")]
    [TestCase("OpenSSL", "pyOpenSSL")]
    [TestCase("attr", "attrs")]
    [TestCase("some_unknown_module.sub", "some_unknown_module")]
    public void Import_names_map_to_distributions(string module, string expected)
    {
        var choices = PythonPackageNames.DistributionsFor(module).Select(c => c.ToString()).ToArray();
        foreach (var name in expected.Split('|'))
        {
            Assert.That(choices, Does.Contain(name));
        }

        Assert.That(choices[0], Is.EqualTo(expected.Split('|')[0]), "the first choice is the one suggested");
    }

    [TestCase("requirements.txt", false)]
    [TestCase("requirements-dev.txt", true)]
    [TestCase("dev-requirements.txt", true)]
    [TestCase("requirements/test.txt", true)]
    [TestCase("requirements/production.txt", false)]
    [TestCase("requirements_lint.in", true)]
    public void Dev_requirement_files_are_told_by_name(string file, bool dev)
    {
        Assert.That(PythonManifest.IsDevFileName(_dir, Path.Combine(_dir, file)), Is.EqualTo(dev));
    }
}
