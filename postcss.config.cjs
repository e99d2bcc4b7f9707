// PostCSS for the renderer (Vite picks this up): Mantine's mixins, rem() and light-dark().
module.exports = {
  plugins: {
    'postcss-preset-mantine': {},
  },
};
