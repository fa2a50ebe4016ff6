package weft

import "io/fs"

// FSConfig lists the host directories a guest may see through WASI, each
// at a guest path. Each With method returns a copy.
type FSConfig interface {
	// WithDirMount makes host directory dir visible at guestPath (e.g. "/"
	// or "/data"), read-write. The guest cannot leave it: "..", absolute
	// paths and symlinks are resolved beneath it.
	WithDirMount(dir, guestPath string) FSConfig

	// WithReadOnlyDirMount is WithDirMount where writes fail.
	WithReadOnlyDirMount(dir, guestPath string) FSConfig

	// WithFSMount mounts fsys read-only at guestPath. weft's WASI runs in
	// C and can only mount host directories: os.DirFS(dir) works (a
	// read-only mount of dir); any other fs.FS fails the instantiation with
	// an error saying so.
	WithFSMount(fs fs.FS, guestPath string) FSConfig
}

type mount struct {
	hostDir, guestPath string
	readOnly           bool
	fs                 fs.FS // unsupported; reported at instantiation
}

type fsConfig struct {
	mounts []mount
}

// NewFSConfig returns an empty FSConfig: nothing is visible to the guest.
func NewFSConfig() FSConfig { return &fsConfig{} }

func (c *fsConfig) with(m mount) FSConfig {
	return &fsConfig{mounts: append(append([]mount(nil), c.mounts...), m)}
}

func (c *fsConfig) WithDirMount(dir, guestPath string) FSConfig {
	return c.with(mount{hostDir: dir, guestPath: guestPath})
}

func (c *fsConfig) WithReadOnlyDirMount(dir, guestPath string) FSConfig {
	return c.with(mount{hostDir: dir, guestPath: guestPath, readOnly: true})
}

func (c *fsConfig) WithFSMount(fsys fs.FS, guestPath string) FSConfig {
	return c.with(mount{fs: fsys, guestPath: guestPath})
}
