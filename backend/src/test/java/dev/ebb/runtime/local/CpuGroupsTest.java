package dev.ebb.runtime.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding the process's own group of the cpu controller from what {@code /proc} says. */
class CpuGroupsTest {

    @Test
    void aHybridHostsCpuHierarchyIsFoundWithTheProcesssOwnGroupInIt() {
        List<String> mounts = List.of(
                "25 20 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755",
                "30 25 0:26 / /sys/fs/cgroup/unified rw,nosuid - cgroup2 cgroup2 rw",
                "33 25 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct",
                "34 25 0:30 / /sys/fs/cgroup/cpuset rw,nosuid - cgroup cgroup rw,cpuset");
        List<String> own = List.of("4:cpuset:/", "3:cpu,cpuacct:/system.slice/ebb.service", "0::/system.slice/ebb.service");

        assertThat(CpuGroups.ownGroup(mounts, own)).contains(Path.of("/sys/fs/cgroup/cpu,cpuacct/system.slice/ebb.service"));
    }

    @Test
    void aContainersMountOfItsOwnGroupIsTheGroupItself() {
        List<String> mounts = List.of("40 30 0:31 /docker/abc /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu");
        List<String> own = List.of("2:cpu:/docker/abc");

        assertThat(CpuGroups.ownGroup(mounts, own)).contains(Path.of("/sys/fs/cgroup/cpu"));
    }

    @Test
    void aHostWithOnlyCgroupV2HasNone() {
        List<String> mounts = List.of("30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate");

        assertThat(CpuGroups.ownGroup(mounts, List.of("0::/user.slice"))).isEmpty();
        assertThat(CpuGroups.off("why").group(new dev.ebb.runtime.RevisionKey("ml", "hello", "hello-00001"))).isEmpty();
    }
}
