/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A model of the BCM2835 GPIO block's registers, enough for drivers that route pins (function
 * select, pull-up/down clocking): the registers keep what is written and read it back; input
 * levels read 0. Pins drive nothing on the host.
 */
#include <stdlib.h>

#include "models.h"

#define GPIO_WORDS (0xb4u / 4u)

typedef struct gpio_model {
    uint32_t regs[GPIO_WORDS];
} gpio_model_t;

static uint32_t gpio_read32(void *dev, uintptr_t off)
{
    gpio_model_t *g = dev;
    return off % 4 == 0 && off / 4 < GPIO_WORDS ? g->regs[off / 4] : 0;
}

static void gpio_write32(void *dev, uintptr_t off, uint32_t value)
{
    gpio_model_t *g = dev;
    if (off % 4 == 0 && off / 4 < GPIO_WORDS) g->regs[off / 4] = value;
}

const ng_host_dev_ops_t hr_gpio_ops = { .read32 = gpio_read32, .write32 = gpio_write32 };

void *hr_gpio_create(ng_host_object_t *irq)
{
    (void)irq;
    return calloc(1, sizeof(gpio_model_t));
}
