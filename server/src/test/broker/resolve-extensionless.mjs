// broker-client 0.0.8 ships ES module syntax in .js files with an extension-less import
// ('./utils'), which Node resolves only for bundlers. This hook resolves such relative imports
// to the .js file, so the package's own code runs unchanged.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (e) {
    if (specifier.startsWith('.') && !specifier.endsWith('.js')) {
      return next(specifier + '.js', context);
    }
    throw e;
  }
}
