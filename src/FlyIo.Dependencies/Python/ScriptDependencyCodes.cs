using System.Collections.Generic;

namespace FlyIo.Dependencies.Python;

/// <summary>
/// The FLY2050–FLY2099 codes: imports of Python and Node apps against what their manifests declare.
/// Every code has a page docs/diagnostics/FLYnnnn.md.
/// </summary>
public static class ScriptDependencyCodes
{
    // Python (FLY2050–FLY2069)
    public const string PythonMissingDistribution = "FLY2050";
    public const string PythonOptionalImportMissing = "FLY2051";
    public const string PythonTestImportMissing = "FLY2052";
    public const string PythonUnusedRequirement = "FLY2053";
    public const string PythonDatabaseUrlScheme = "FLY2054";
    public const string PythonIncludeNotFound = "FLY2055";
    public const string PythonPyprojectInvalid = "FLY2056";
    public const string PythonDevOnlyDistribution = "FLY2057";

    // Node (FLY2070–FLY2099)
    public const string NodeMissingPackage = "FLY2070";
    public const string NodeDevDependencyOmitted = "FLY2071";
    public const string NodeDevDependencyInProduction = "FLY2072";
    public const string NodeDevCliAtRuntime = "FLY2073";
    public const string NodePackageJsonInvalid = "FLY2074";
    public const string NodeEntryNotFound = "FLY2075";

    /// <summary>Every code with a one-line title (the title of its docs page).</summary>
    public static IReadOnlyDictionary<string, string> Titles { get; } = new Dictionary<string, string>
    {
        [PythonMissingDistribution] = "Python module imported but its distribution is not in requirements",
        [PythonOptionalImportMissing] = "Optional Python import (try/except ImportError) not in requirements",
        [PythonTestImportMissing] = "Test code imports a distribution no requirements file lists",
        [PythonUnusedRequirement] = "Requirement that no Python file imports",
        [PythonDatabaseUrlScheme] = "DATABASE_URL passed to SQLAlchemy/asyncpg without rewriting postgres://",
        [PythonIncludeNotFound] = "requirements file includes a file that does not exist",
        [PythonPyprojectInvalid] = "pyproject.toml cannot be read",
        [PythonDevOnlyDistribution] = "Python module imported by app code is only in development requirements",
        [NodeMissingPackage] = "Package imported by production code is not in package.json",
        [NodeDevDependencyOmitted] = "devDependency imported by production code, and the image omits dev dependencies",
        [NodeDevDependencyInProduction] = "devDependency imported by production code",
        [NodeDevCliAtRuntime] = "Start command runs the CLI of a devDependency",
        [NodePackageJsonInvalid] = "package.json is missing or cannot be read",
        [NodeEntryNotFound] = "Entry point of the start command not found; every source file was checked",
    };
}
